/**
 * Issue 26, finding 1: a valid key (a storefront's ships in its bundle) sending distinct
 * valid catalog documents grew the gateway by ~115 KB each (RSS 180 → 1,251 MB after
 * ~11,000): graphql-jit compiled every one and the caches were bounded by count, not bytes.
 * Now every per-document cache is bounded by bytes and a document is compiled only once it
 * is reused (or trusted). Measured on the gateway's own process: DOCUMENTS distinct
 * documents grow the heap retained after a full collection by less than the target's share
 * (20,000 documents → under 50 MB), caches filling to their bounds included; as many again add
 * no retained heap. (10,000 rather than 20,000 keep the run under a
 * minute on a busy machine; the share is conservative, as the caches' fill is a fixed cost.)
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/server.js';
import { collectedIn, GC_PROBE_OPTIONS } from '../support/gc-probe.js';
import { startGatewayProcess, type GatewayProcess } from '../support/gateway-process.js';

const CATALOG_KEY = 'storefront-key-0123456789';
/** 20,000 is the target; this many keep the run short on a busy machine, and the bound scales with it. */
const DOCUMENTS = 10_000;
const WARM_UP = 2_000;
const CONCURRENCY = 8;
const TARGET_MB_PER_20K = 50;

let sandbox: Sandbox;
let gateway: GatewayProcess;
beforeAll(async () => {
  sandbox = await startSandbox();
  gateway = await startGatewayProcess(sandbox, {
    GATEWAY_API_KEYS: JSON.stringify({ [CATALOG_KEY]: ['catalog:read'] }),
    NODE_OPTIONS: GC_PROBE_OPTIONS,
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

it(`${DOCUMENTS} distinct valid documents from one valid key: all answered, retaining less than ${TARGET_MB_PER_20K} MB per 20,000`, async () => {
  // Warm-up at the same load with one document: code compiled, pools and buffers at their working size; the
  // per-document caches still all but empty (so a cache bounded only by count shows its whole size below).
  expect(Object.fromEntries(await send(WARM_UP, () => 'query Warm { c0: currencies { id } }'))).toEqual({ 200: WARM_UP });
  const before = await collectedIn(gateway);

  expect(Object.fromEntries(await send(DOCUMENTS))).toEqual({ 200: DOCUMENTS });
  const filled = await collectedIn(gateway);
  // What the process retains: the heap after a full collection, the byte-bounded caches now full. Before the fix,
  // +33 MB here (graphql-jit's 1,000 compiled documents; on the machine ~115 KB of RSS per document); now ~8 MB.
  expect((filled.heapUsed - before.heapUsed) / 2 ** 20).toBeLessThan((TARGET_MB_PER_20K * DOCUMENTS) / 20_000);

  // And it stops there: as many documents again add no retained heap. (RSS is not asserted here: on Node 24 the
  // process's native memory outside V8's heap still rises through the first ~20,000 distinct documents, then
  // levels off; its cause is open, see the README's "Security model".)
  expect(Object.fromEntries(await send(DOCUMENTS))).toEqual({ 200: DOCUMENTS });
  const after = await collectedIn(gateway);
  expect((after.heapUsed - filled.heapUsed) / 2 ** 20).toBeLessThan(5);
  // Each document was one catalog read at most (the catalog cache answers the rest).
  expect(sandbox.calls.count('currencies')).toBeLessThanOrEqual(2);
}, 180_000);
