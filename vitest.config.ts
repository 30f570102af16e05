import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // graphql ships CJS (main) and ESM (module) builds. Node, and so every dependency,
    // loads the CJS one; make our own sources load the same, or instanceof checks fail.
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    // Generous: the tests wait on conditions, and a spawned gateway (tsx compiling src/) starts slowly on a busy machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Every file starts its own sandbox and gateway on free loopback ports, so files can run side by side.
    pool: 'forks',
    // Most of a file's time is spent waiting on sockets, timers and child processes, not on a CPU: vitest's
    // default on a 2-core machine (one worker) ran the suite in series. Three workers overlap the waits.
    maxWorkers: 3,
    // Each file in a fresh module graph: without isolation (tried: it halves import time) the Redis
    // data-loss tests stop seeing the look-up window open, so shared module state is not worth the risk.
  },
});
