/**
 * Issue 26, finding 1: a valid key (a storefront's ships in its bundle) sending distinct
 * valid catalog documents grew the gateway by ~115 KB each (RSS 180 → 1,251 MB after
 * ~11,000): graphql-jit compiled every one and the caches were bounded by count, not bytes.
 * Now every per-document cache is bounded by bytes and a document is compiled only once it
 * is reused (or trusted). The target: 20,000 distinct documents grow RSS by less than 50 MB.
 * Measured on the gateway's own process, started as the production image starts it (the
 * Dockerfile's ENV and node flags: scripts/production-runtime.ts), after V8's last-resort
 * collection (which also gives back the heap pages V8 pools for reuse, as its memory reducer
 * does once load stops): the RSS the process keeps. Under load it holds more, bounded: the
 * young generation at the image's --max-semi-space-size, asserted below.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { productionRuntime } from '../../scripts/production-runtime.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/server.js';
import { productionProbeEnv, settledIn } from '../support/gc-probe.js';
import { startStack, type ProcessStack } from '../support/stack.js';

const CATALOG_KEY = 'storefront-key-0123456789';
const DOCUMENTS = 20_000;
/** Five times what any per-document cache holds (the parse cache ~1,000 such documents, the others 1,000 entries). */
const MORE = 5_000;
const WARM_UP = 2_000;
const CONCURRENCY = 8;
const TARGET_MB = 50;
const MB = 2 ** 20;

let sandbox: Sandbox;
let gateway: ProcessStack;
const runtime = productionRuntime();
beforeAll(async () => {
  sandbox = await startSandbox();
  gateway = await startStack({
    process: true,
    sharedSandbox: sandbox,
    env: {
      ...productionProbeEnv(),
      GATEWAY_API_KEYS: JSON.stringify({ [CATALOG_KEY]: ['catalog:read'] }),
      // The flood takes minutes on a busy machine: an hour's catalog keeps the upstream count below free of timing.
      CATALOG_TTL_MS: '3600000',
    },
  });
}, 60_000);
afterAll(async () => {
  await gateway?.stop();
  await sandbox?.close();
});

let sent = 0;
/** `count` requests, CONCURRENCY at a time; by default each a document never sent before, `query Q<n> { c<n>: currencies { id } }`. */
async function send(count: number, documentFor = (n: number) => `query Q${n} { c${n}: currencies { id } }`): Promise<Map<number, number>> {
  const statuses = new Map<number, number>();
  const last = sent + count;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (sent < last) {
        const n = (sent += 1);
        const response = await fetch(`${gateway.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${CATALOG_KEY}` },
          body: JSON.stringify({ query: documentFor(n) }),
        });
        const body = await response.json();
        const ok = response.status === 200 && Object.values(body.data ?? {}).every(Array.isArray);
        statuses.set(ok ? 200 : response.status, (statuses.get(ok ? 200 : response.status) ?? 0) + 1);
      }
    }),
  );
  return statuses;
}

describe('a client sending endless distinct documents', () => {
  it('the image starts node with its memory settings', () => {
    expect(runtime.nodeFlags).toContain('--max-semi-space-size=16');
    expect(runtime.env.MALLOC_TRIM_THRESHOLD_).toBe('131072');
  });

  it(`${DOCUMENTS} distinct valid documents from one valid key: all answered, RSS kept grows by less than ${TARGET_MB} MB`, async () => {
    // Warm-up at the same load with one document: code compiled, pools and buffers at their working size; the
    // per-document caches still all but empty (so a cache bounded only by count shows its whole size below).
    expect(Object.fromEntries(await send(WARM_UP, () => 'query Warm { c0: currencies { id } }'))).toEqual({ 200: WARM_UP });
    const before = await settledIn(gateway);

    expect(Object.fromEntries(await send(DOCUMENTS))).toEqual({ 200: DOCUMENTS });
    const filled = await settledIn(gateway);
    // Before the fix, graphql-jit's 1,000 compiled documents: +33 MB of heap, ~115 KB of RSS a document. Now the
    // byte-bounded caches, full: ~8 MB of heap; RSS kept ~+16 MB (without the image's settings +48 to +61 MB: glibc kept
    // what V8's compiler threads freed).
    expect((filled.heapUsed - before.heapUsed) / MB).toBeLessThan(15);
    expect((filled.rssReleased - before.rssReleased) / MB).toBeLessThan(TARGET_MB);
    // Under load the young generation stays within the image's --max-semi-space-size (two semi-spaces of 16 MB),
    // where Node 24 by itself grows it to 128 MB.
    expect(filled.newSpace / MB).toBeLessThanOrEqual(32);

    // And it stops there: enough documents more to replace every cache's entries five times add no retained heap
    // and no kept RSS to speak of.
    expect(Object.fromEntries(await send(MORE))).toEqual({ 200: MORE });
    const after = await settledIn(gateway);
    expect((after.heapUsed - filled.heapUsed) / MB).toBeLessThan(5);
    expect((after.rssReleased - filled.rssReleased) / MB).toBeLessThan(10);
    // Each document was one catalog read at most (the catalog cache answers the rest).
    expect(sandbox.calls.count('currencies')).toBeLessThanOrEqual(2);
  }, 600_000);
});
