/**
 * What the reconciling sweep costs KS Pay: at most WEBHOOK_SWEEP_MAX_PAGES list reads per
 * sweep, however many transactions the window holds (the rest are left, counted as
 * truncated); one sweep per interval across instances on one Redis; counted in /metrics.
 * Bad settings stop start-up with a line naming the variable.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { KsPayClient } from '../../src/kspay/client.js';
import { Decimal } from '../../src/kspay/money.js';
import { exampleIdsOf } from '../../src/sandbox/fixtures.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/server.js';
import { startStack, type Stack } from '../support/stack.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { FAST, SECRET, startReceiver, waitFor, type TestReceiver } from '../support/webhook-receiver.js';

const MAX_PAGES = 2;
const PAGE_SIZE = 50;
const TRANSACTIONS = 120; // more than MAX_PAGES × PAGE_SIZE

let sandbox: Sandbox;
let receiver: TestReceiver;
let redis: RedisServer;
const stacks: Stack[] = [];

beforeAll(async () => {
  [sandbox, receiver, redis] = await Promise.all([startSandbox(), startReceiver(), startRedisServer()]);
});
afterAll(async () => {
  for (const stack of stacks) await stack.close();
  await receiver?.stop();
  await sandbox?.close();
  await redis?.stop();
});

/** A gateway whose sweep reads at most MAX_PAGES pages of PAGE_SIZE and runs on its own only at start. */
async function gateway(env: Record<string, string> = {}): Promise<Stack> {
  const stack = await startStack({
    sharedSandbox: sandbox,
    env: { WEBHOOK_URL: receiver.url, WEBHOOK_SECRET: SECRET, WEBHOOK_SWEEP_MAX_PAGES: String(MAX_PAGES), WEBHOOK_SWEEP_INTERVAL_MS: '600000', ...env },
    overrides: { webhooks: { ...FAST, sweep: { pageSize: PAGE_SIZE } } },
  });
  stacks.push(stack);
  return stack;
}

/** One counter of the gateway's /metrics, summed over its labels (or for one label set). */
async function metric(stack: Stack, name: string, labels = ''): Promise<number> {
  const text = await (await fetch(`${stack.url}/metrics`)).text();
  const lines = text.split('\n').filter((line) => line.startsWith(`${name}${labels} `) || (!labels && line.startsWith(`${name}{`)));
  return lines.reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
}

async function initiateDirectly(count: number): Promise<void> {
  const client = new KsPayClient({ baseUrl: sandbox.url, ...sandbox.credentials, timeoutMs: 10_000 });
  const { currencyId, paymentMethodId } = exampleIdsOf();
  for (let start = 0; start < count; start += 40) {
    await Promise.all(
      Array.from({ length: Math.min(40, count - start) }, (_, i) =>
        client.initiateTransaction({
          currencyId,
          paymentMethodId,
          amount: Decimal.parse('5.00')!,
          referenceNumber: `sweep-cost-${start + i}-${Date.now()}`,
          redirectUrl: 'https://shop.example/r',
        }),
      ),
    );
  }
  await client.close();
}

describe('the sweep’s cost', () => {
  it('reads at most WEBHOOK_SWEEP_MAX_PAGES pages however many transactions the window holds, and counts it', async () => {
    const stack = await gateway();
    await waitFor('the sweep at start', async () => (await metric(stack, 'kspay_gateway_webhook_sweeps_total')) === 1);
    await initiateDirectly(TRANSACTIONS);

    const names = [
      'kspay_gateway_webhook_sweep_upstream_requests_total',
      'kspay_gateway_webhook_sweep_transactions_examined_total',
      'kspay_gateway_webhook_sweep_events_created_total',
    ];
    const before = await Promise.all(names.map((name) => metric(stack, name)));

    sandbox.calls.reset();
    const result = await stack.app.webhooks.sweep('test');
    expect(sandbox.calls.count('transactions')).toBeLessThanOrEqual(MAX_PAGES);
    expect(result).toMatchObject({ outcome: 'truncated', pages: MAX_PAGES, examined: MAX_PAGES * PAGE_SIZE, created: MAX_PAGES * PAGE_SIZE });
    const after = await Promise.all(names.map((name) => metric(stack, name)));
    expect(after.map((value, i) => value - before[i]!)).toEqual([MAX_PAGES, MAX_PAGES * PAGE_SIZE, MAX_PAGES * PAGE_SIZE]);
    expect(await metric(stack, 'kspay_gateway_webhook_sweeps_total', '{outcome="truncated"}')).toBe(1);

    // Again: the same bound, and nothing new (every status it reads has its event).
    sandbox.calls.reset();
    expect(await stack.app.webhooks.sweep('test again')).toMatchObject({ pages: MAX_PAGES, created: 0 });
    expect(sandbox.calls.count('transactions')).toBeLessThanOrEqual(MAX_PAGES);
    // Single-flight: asked for three times at once, it sweeps at most twice (the running one, one follow-up).
    sandbox.calls.reset();
    await Promise.all([stack.app.webhooks.sweep('a'), stack.app.webhooks.sweep('b'), stack.app.webhooks.sweep('c')]);
    expect(sandbox.calls.count('transactions')).toBeLessThanOrEqual(2 * MAX_PAGES);
    await stack.close();
    stacks.splice(stacks.indexOf(stack), 1);
  });

  it('sweeps once per interval across instances on one Redis: started together, one sweeps and the other skips', async () => {
    sandbox.calls.reset();
    const [a, b] = await Promise.all([gateway({ REDIS_URL: redis.url }), gateway({ REDIS_URL: redis.url })]);
    const sweeps = async (outcome: string) =>
      (await metric(a, 'kspay_gateway_webhook_sweeps_total', `{outcome="${outcome}"}`)) +
      (await metric(b, 'kspay_gateway_webhook_sweeps_total', `{outcome="${outcome}"}`));
    await waitFor('one sweep and one skip', async () => (await sweeps('truncated')) + (await sweeps('skipped')) === 2);
    expect(await sweeps('truncated')).toBe(1);
    expect(sandbox.calls.count('transactions')).toBeLessThanOrEqual(MAX_PAGES);
  });

  it('refuses bad settings at start-up, naming the variable', () => {
    const base = { WEBHOOK_URL: 'https://shop.example/hooks', WEBHOOK_SECRET: SECRET };
    expect(() => loadConfig({ ...base, WEBHOOK_SWEEP_MAX_PAGES: '0' })).toThrow(/WEBHOOK_SWEEP_MAX_PAGES/);
    expect(() => loadConfig({ ...base, WEBHOOK_SWEEP_MAX_PAGES: '1001' })).toThrow(/WEBHOOK_SWEEP_MAX_PAGES/);
    expect(() => loadConfig({ ...base, WEBHOOK_SWEEP_WINDOW_MS: String(91 * 24 * 3_600_000) })).toThrow(/WEBHOOK_SWEEP_WINDOW_MS/);
    expect(() => loadConfig({ ...base, WEBHOOK_SWEEP_INTERVAL_MS: '10' })).toThrow(/WEBHOOK_SWEEP_INTERVAL_MS/);
    expect(loadConfig(base).webhooks.sweep).toMatchObject({ intervalMs: 300_000, windowMs: 86_400_000, maxPages: 20 });
  });
});
