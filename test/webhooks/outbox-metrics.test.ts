/**
 * The webhook outbox in /metrics, in memory and on Redis: a receiver that fails leaves a
 * backlog (lanes waiting, the oldest event's age) and `retrying` attempts; once it answers,
 * the backlog drains and the attempts count as `delivered`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../support/stack.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { initiate } from '../support/webhook-payments.js';
import { FAST, SECRET, startReceiver, waitFor, type TestReceiver } from '../support/webhook-receiver.js';

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await redis?.stop();
});

async function sample(stack: Stack, series: string): Promise<number> {
  const text = await (await fetch(`${stack.url}/metrics`)).text();
  const escaped = series.replace(/[{}]/g, (c) => `\\${c}`);
  return Number(new RegExp(`^${escaped} (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
}

describe.each(['memory', 'redis'] as const)('the outbox series (%s)', (store) => {
  let receiver: TestReceiver;
  let stack: Stack;
  let failing = true;

  beforeAll(async () => {
    receiver = await startReceiver(() => (failing ? 500 : 200));
    const env: Record<string, string> = { WEBHOOK_URL: receiver.url, WEBHOOK_SECRET: SECRET, ...(store === 'redis' && { REDIS_URL: redis.url }) };
    // Retries a second apart: the failing delivery waits in the outbox, visibly ageing.
    stack = await startStack({ env, overrides: { webhooks: { ...FAST, delivery: { ...FAST.delivery, firstRetryMs: 1_000, maxRetryDelayMs: 1_000 } } } });
  });
  afterAll(async () => {
    await stack?.close();
    await receiver?.stop();
  });

  it('show a failing receiver’s backlog and retrying attempts, then its drain and deliveries', async () => {
    await initiate(stack);
    await waitFor('a failed attempt', async () => (await sample(stack, 'kspay_gateway_webhook_delivery_attempts_total{outcome="retrying"}')) >= 1);
    expect(await sample(stack, 'kspay_gateway_webhook_backlog_lanes')).toBeGreaterThanOrEqual(1);
    await waitFor(
      'the oldest waiting event to be over a second old',
      async () => (await sample(stack, 'kspay_gateway_webhook_backlog_oldest_age_seconds')) > 1,
    );
    expect(await sample(stack, 'kspay_gateway_webhook_delivery_attempts_total{outcome="delivered"}')).toBe(0);

    failing = false;
    await waitFor('the delivery', async () => (await sample(stack, 'kspay_gateway_webhook_delivery_attempts_total{outcome="delivered"}')) >= 1);
    await waitFor('the backlog to drain', async () => (await sample(stack, 'kspay_gateway_webhook_backlog_lanes')) === 0);
  });
});
