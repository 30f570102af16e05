import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';
import { SlowFirstSequencer } from './test/support/slow-first.js';

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // graphql ships CJS (main) and ESM (module) builds. Node, and so every dependency,
    // loads the CJS one; make our own sources load the same, or instanceof checks fail.
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/compiled-gateway.ts', 'test/support/shared-chromium.ts'],
    // Generous: the tests wait on conditions, and a spawned gateway process starts slowly on a busy machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Every file starts its own sandbox and gateway on free loopback ports, so files can run side by side.
    pool: 'forks',
    // Three files at a time on a 2-core machine: most files spend much of their time waiting on
    // sockets, processes and timers, so a third worker fills the CPU the other two leave idle.
    maxWorkers: 3,
    // One module graph per worker, not one per file: importing src/ (graphql, yoga, Pothos' schema)
    // for each of ~130 files cost about 1.6 s of CPU apiece, half the suite's CPU. Every file
    // starts its own sandbox and gateway and closes them, so nothing a test reads leaks between files.
    isolate: false,
    sequence: { sequencer: SlowFirstSequencer },
  },
});
