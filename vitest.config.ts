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
    // vitest's default worker count (one on a 2-core machine). Tried: three workers cut the suite from
    // about 9 to 7 minutes, but Redis Clusters started side by side then miss a shard's data loss now
    // and then; and without per-file isolation the data-loss tests stop seeing the look-up window open.
  },
});
