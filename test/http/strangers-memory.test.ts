/**
 * Finding 1, the cost: about 17,000 keyless requests with random operation names used to
 * kill the gateway (every name became a metric label). Now 5,000 of them, with 20 KB
 * names, leave the gateway process's memory flat and /metrics small, and it still serves.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/server.js';
import { productionProbeEnv, settledIn } from '../support/gc-probe.js';
import { startStack, type ProcessStack } from '../support/stack.js';
import { KEY_A } from '../support/presets.js';

const STRANGERS = 5_000;
const CONCURRENCY = 16;

let sandbox: Sandbox;
let gateway: ProcessStack;
beforeAll(async () => {
  sandbox = await startSandbox();
  gateway = await startStack({ process: true, sharedSandbox: sandbox, env: { ...productionProbeEnv(), GATEWAY_API_KEYS: JSON.stringify({ [KEY_A]: ['*'] }) } });
}, 60_000);
afterAll(async () => {
  await gateway?.stop();
  await sandbox?.close();
});

function strangerRequest(): Promise<Response> {
  const name = `Op${Math.random().toString(36).slice(2)}${'z'.repeat(20_000)}`;
  return fetch(`${gateway.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: `query ${name} { transactionz }`, operationName: name }),
  });
}

async function sendStrangers(count: number): Promise<{ statuses: Map<number, number>; schemaWords: number }> {
  const statuses = new Map<number, number>();
  let schemaWords = 0;
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < count) {
        next += 1;
        const response = await strangerRequest();
        const text = await response.text();
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        if (/transaction|Cannot query|Did you mean/i.test(text)) schemaWords += 1;
      }
    }),
  );
  return { statuses, schemaWords };
}

describe('strangers without a key, by the thousand', () => {
  it(`answers ${STRANGERS} keyless requests with random 20 KB operation names with 401, at flat memory`, async () => {
    await sendStrangers(500); // warm up: code compiled, buffers and pools at their working size
    const before = await settledIn(gateway);

    const { statuses, schemaWords } = await sendStrangers(STRANGERS);
    expect(Object.fromEntries(statuses)).toEqual({ 401: STRANGERS });
    expect(schemaWords).toBe(0);

    // The RSS kept, after V8's last-resort collection (test/support/gc-probe.cjs), started as the image starts it.
    const after = await settledIn(gateway);
    expect((after.rssReleased - before.rssReleased) / 2 ** 20).toBeLessThan(50);
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(metrics.length).toBeLessThan(200_000);
    expect(metrics).toMatch(/kspay_gateway_http_refusals_total\{reason="unauthenticated"\} 5500/);
    expect(sandbox.calls.count()).toBe(0);

    const served = await fetch(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY_A}` },
      body: JSON.stringify({ query: '{ currencies { code } }' }),
    });
    expect(served.status).toBe(200);
    expect((await served.json()).data.currencies.length).toBeGreaterThan(0);
  }, 120_000);
});
