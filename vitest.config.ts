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
    // vitest's default worker count (one on a 2-core machine). Tried: three workers cut the suite
    // by about a quarter, but the cluster data-loss tests then failed now and then (two causes found
    // and fixed in the tests: a loss counted under the other cause, counters read before the 2 s check;
    // one failure in six runs remains unexplained); and without per-file isolation the data-loss tests
    // stop seeing the look-up window open.
  },
});
