// Loaded into a gateway process by memory tests (NODE_OPTIONS=--expose-gc --require …): on
// SIGUSR2 it collects garbage fully, then prints the heap in use as one line on stderr, so a
// test measures what the process retains rather than how lazily V8 collects.
process.on('SIGUSR2', () => {
  globalThis.gc();
  globalThis.gc();
  const { heapUsed, rss } = process.memoryUsage();
  process.stderr.write(`gc-probe ${JSON.stringify({ heapUsed, rss })}\n`);
});
