// Loaded into a gateway process by memory tests (NODE_OPTIONS=--expose-gc --require …): on
// SIGUSR2 it collects garbage fully, then prints the heap in use, the RSS and the size of V8's
// young generation (new space) as one line on stderr, so a test measures what the process
// retains rather than how lazily V8 collects. New space is reported apart because V8 sizes it
// to the allocation rate, not to what is kept: on Node 24 it grows to 128 MB under any sustained
// load (one repeated document as much as distinct ones), a bounded cost that is not retention.
// Then it runs the collection V8 runs when memory is short (`last-resort`: what the memory
// reducer also does once load stops), which shrinks the young generation and unmaps the heap
// pages V8 pools for reuse, and reports the RSS after it as `rssReleased`: what the process
// keeps.
const { getHeapSpaceStatistics } = require('node:v8');

process.on('SIGUSR2', () => {
  globalThis.gc();
  globalThis.gc();
  const { heapUsed, rss } = process.memoryUsage();
  const newSpace = getHeapSpaceStatistics().find((space) => space.space_name === 'new_space')?.space_size ?? 0;
  globalThis.gc({ type: 'major', execution: 'sync', flavor: 'last-resort' });
  const rssReleased = process.memoryUsage.rss();
  process.stderr.write(`gc-probe ${JSON.stringify({ heapUsed, rss, newSpace, rssReleased })}\n`);
});
