/**
 * Issue 26, finding 2: comments are no tokens, so a tiny query padded with a distinct 60 KB
 * `#` comment passed every limit; 3,000 of them took RSS 217 → 723 MB (each text was parsed,
 * kept as a cache key and in its tokens). Now MAX_DOCUMENT_BYTES (16 KB) refuses a larger
 * document before any parse — over POST, GET and WebSocket — with DOCUMENT_TOO_LARGE and no
 * upstream call, and the text caches are keyed by hash and bounded by bytes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createClient } from 'graphql-ws';
import manifest from '../../examples/gql/persisted-documents.json' with { type: 'json' };
import { startSandbox, type Sandbox } from '../../src/sandbox/server.js';
import { collectedIn, productionProbeEnv, settledIn } from '../support/gc-probe.js';
import { startStack, type ProcessStack } from '../support/stack.js';

const KEY = 'storefront-key-0123456789';
const AS_KEY = { authorization: `Bearer ${KEY}` };
const PADDED = 1_000;
/** Enough of the same traffic for V8 to size its young generation to it. */
const WARM_UP = 500;
const CONCURRENCY = 8;

let sandbox: Sandbox;
let gateway: ProcessStack;
beforeAll(async () => {
  sandbox = await startSandbox();
  gateway = await startStack({ process: true, sharedSandbox: sandbox, env: { ...productionProbeEnv(), GATEWAY_API_KEYS: JSON.stringify({ [KEY]: ['*'] }) } });
}, 60_000);
afterAll(async () => {
  await gateway?.stop();
  await sandbox?.close();
});

const padded = (n: number, bytes: number) => `{ currencies { id } } # ${String(n).padEnd(bytes, 'x')}`;

async function sendAll(count: number, bytes: number): Promise<Record<string, number>> {
  const outcomes: Record<string, number> = {};
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < count) {
        const response = await gateway.gql(padded((next += 1), bytes), undefined, AS_KEY);
        const outcome = `${response.status} ${response.errors?.[0]?.extensions?.code ?? 'ok'}`;
        outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
      }
    }),
  );
  return outcomes;
}

describe('a client sending huge documents', () => {
  it("runs the largest legitimate documents (the example app's trusted documents) under the default cap", async () => {
    const largest = Object.values(manifest).reduce((a, b) => (Buffer.byteLength(a) > Buffer.byteLength(b) ? a : b));
    expect(Buffer.byteLength(largest)).toBeLessThan(16 * 1024);
    const answer = await gateway.gql(`{ currencies { id } } # ${'x'.repeat(16 * 1024 - 40)}`, undefined, AS_KEY);
    expect(answer.status).toBe(200);
  });

  it(`refuses ${PADDED} distinct 60 KB comment-padded queries with DOCUMENT_TOO_LARGE, no upstream call, at flat memory`, async () => {
    // Warm-up with the same traffic: V8 sizes its young generation to the allocation rate (on Node 24 up to
    // 128 MB of new space) once; what must not happen is growth that goes on, batch after batch.
    await sendAll(WARM_UP, 60 * 1024);
    const before = await settledIn(gateway);
    sandbox.calls.reset();

    expect(await sendAll(PADDED, 60 * 1024)).toEqual({ '413 DOCUMENT_TOO_LARGE': PADDED });
    expect(sandbox.calls.count()).toBe(0);

    const after = await settledIn(gateway);
    expect((after.heapUsed - before.heapUsed) / 2 ** 20).toBeLessThan(10);
    // The RSS kept, after V8's last-resort collection (test/support/gc-probe.cjs), started as the image starts it.
    expect((after.rssReleased - before.rssReleased) / 2 ** 20).toBeLessThan(10);
  }, 120_000);

  it('refuses it over WebSocket too (and node:http refuses such a GET), before any parse', async () => {
    const query = padded(0, 20 * 1024);
    // A GET's document is in its URL: node:http refuses a request line and headers over 16 KB (431) before anything runs.
    const get = await fetch(`${gateway.url}/graphql?query=${encodeURIComponent(query)}`, { headers: AS_KEY });
    expect(get.status).toBe(431);

    const client = createClient({
      url: `${gateway.url.replace(/^http/, 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { apiKey: KEY },
      retryAttempts: 0,
    });
    const errors = await new Promise<any>((resolve) => client.subscribe({ query }, { next: () => undefined, error: resolve, complete: () => resolve(null) }));
    expect(errors[0].extensions.code).toBe('DOCUMENT_TOO_LARGE');
    await client.dispose();
    expect(sandbox.calls.count()).toBe(0);
  });

  it('bounds by bytes what documents under the cap keep: 1,000 distinct 15 KB comments are answered at flat memory', async () => {
    await sendAll(100, 15 * 1024);
    const before = await collectedIn(gateway);
    expect(await sendAll(PADDED, 15 * 1024)).toEqual({ '200 ok': PADDED });
    const after = await collectedIn(gateway);
    // Keyed by text, they held ~1,000 × 15 KB in the parse cache alone, and as much again in the response cache's keys.
    expect((after.heapUsed - before.heapUsed) / 2 ** 20).toBeLessThan(10);
  }, 120_000);
});
