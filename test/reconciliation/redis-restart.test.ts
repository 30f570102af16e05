/**
 * What the report compares against lives in Redis: after a gateway restart on the same
 * redis-server the records still say what was asked (no transaction turns UNKNOWN_TO_GATEWAY,
 * a misrecorded amount is still AMOUNT_MISMATCH); a record written before asks were kept is
 * unknown-asked, never a mismatch; and against a KS Pay that lost the transactions, each
 * record is MISSING_UPSTREAM once.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/server.js';
import { startStack, type Stack } from '../support/stack.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { initiate } from '../support/webhook-payments.js';
import { waitFor } from '../support/webhook-receiver.js';
import { csvRows, REPORT, type ReportedDiscrepancy } from './support.js';

let redis: RedisServer;
let sandbox: Sandbox;
const running: Stack[] = [];
const made: Record<'plain' | 'altered' | 'legacy', { id: string; reference: string }> = {} as never;
let from: string;

async function gateway(upstream: Sandbox): Promise<Stack> {
  const stack = await startStack({ sharedSandbox: upstream, env: { REDIS_URL: redis.url } });
  running.push(stack);
  return stack;
}

async function discrepancies(stack: Stack): Promise<ReportedDiscrepancy[]> {
  // A gateway just started may not have met its Redis yet: that answer is retryable, and a client retries it.
  const answer = await waitFor('a report', async () => {
    const reply = await stack.gql(REPORT, { from, to: new Date().toISOString() });
    return reply.errors?.[0]?.extensions?.retryable === true ? null : reply;
  });
  expect(answer.errors).toBeUndefined();
  return answer.data.reconciliation.discrepancies;
}

const summary = (found: ReportedDiscrepancy[]) => found.map((d) => `${d.transactionId} ${d.kind}`).sort();

beforeAll(async () => {
  redis = await startRedisServer();
  sandbox = await startSandbox();
  from = new Date(Date.now() - 1_000).toISOString();
  const first = await gateway(sandbox);
  made.plain = await initiate(first);
  sandbox.faults.set({ misrecord: { amount: '25.5', times: 1 } });
  made.altered = await initiate(first);
  sandbox.faults.set({ misrecord: { amount: '30', times: 1 } });
  made.legacy = await initiate(first);
  await first.close();
});
afterAll(async () => {
  for (const stack of running) await stack.close().catch(() => undefined);
  await sandbox?.close();
  await redis?.stop();
});

describe('reconciliation across a restart on Redis', () => {
  it('still knows every transaction and what was asked for it', async () => {
    const restarted = await gateway(sandbox);
    expect(summary(await discrepancies(restarted))).toEqual([`${made.altered.id} AMOUNT_MISMATCH`, `${made.legacy.id} AMOUNT_MISMATCH`].sort());
  });

  it('reads a record written before asks were kept as unknown-asked: no mismatch, empty asked cells', async () => {
    const raw = new Redis(redis.url);
    const key = `kspay-gateway:idempotency:${sandbox.credentials.appId}|${made.legacy.reference}`;
    const record = JSON.parse((await raw.get(key))!);
    expect(record.asked).toEqual({ amount: '19.99', currencyId: expect.stringMatching(/^c_/) });
    delete record.asked;
    await raw.set(key, JSON.stringify(record), 'KEEPTTL');
    raw.disconnect();

    const stack = running.at(-1)!;
    expect(summary(await discrepancies(stack))).toEqual([`${made.altered.id} AMOUNT_MISMATCH`]);
    const response = await fetch(`${stack.url.replace('/graphql', '')}/reports/reconciliation.csv?from=${from}&to=${new Date().toISOString()}`);
    const rows = csvRows(await response.text());
    expect(rows.find((row) => row.transactionId === made.legacy.id)).toMatchObject({ amount: '30', askedAmount: '', askedCurrencyCode: '', discrepancy: '' });
    expect(rows.find((row) => row.transactionId === made.plain.id)).toMatchObject({ amount: '19.99', askedAmount: '19.99', askedCurrencyCode: 'USD' });
  });

  it('answers UPSTREAM_UNAVAILABLE, retryable, while its Redis is down, and reports again once it is back', async () => {
    const stack = running.at(-1)!;
    // A clean stop: the previous test's write must outlive it (a SIGKILL may lose the append-only file's last second).
    await redis.stop('SIGTERM');
    try {
      const answer = await stack.gql(REPORT, { from, to: new Date().toISOString() });
      expect(answer.errors?.[0]).toMatchObject({
        message: "The gateway's records could not be read; retry the report shortly",
        extensions: { code: 'UPSTREAM_UNAVAILABLE', retryable: true },
      });
    } finally {
      await redis.start();
    }
    expect(summary(await discrepancies(stack))).toEqual([`${made.altered.id} AMOUNT_MISMATCH`]);
  });

  it('names each record KS Pay does not have MISSING_UPSTREAM, once', async () => {
    const emptied = await startSandbox();
    try {
      const stack = await gateway(emptied);
      const found = await discrepancies(stack);
      expect(summary(found)).toEqual(
        Object.values(made)
          .map((p) => `${p.id} MISSING_UPSTREAM`)
          .sort(),
      );
      const altered = found.find((d) => d.transactionId === made.altered.id)!;
      expect(altered).toMatchObject({ referenceNumber: made.altered.reference });
      expect(altered.detail).toMatch(/^the gateway asked for 19\.99 USD \(c_\w+\) at .* and KS Pay answered with tx_\w+, but KS Pay does not have it$/);
      expect(emptied.calls.snapshot()).toMatchObject({ initiate: 0, process: 0, transaction: 3 });
    } finally {
      await emptied.close();
    }
  });
});
