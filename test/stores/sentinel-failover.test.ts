/**
 * A Sentinel failover under payment load: a primary, a replica and three sentinels (real
 * processes), two gateway instances on REDIS_SENTINELS, clients retrying their references
 * on either. The primary is SIGKILLed mid-load and the sentinels promote the replica,
 * which may lack the primary's last writes. Every answer is typed, no reference gets a
 * second KS Pay transaction, every transaction's webhook events arrive, and the failover
 * is counted (a new primary run_id: a loss that opens the look-up window).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/server.js';
import { checkRedisPersistence } from '../../src/stores/redis-persistence.js';
import { newReference } from '../support/references.js';
import type { Stack } from '../support/stack.js';
import { startTwoInstances, type TwoInstances } from '../support/two-instances.js';
import { startSentinels, type SentinelProcesses } from '../support/redis-sentinel.js';
import { FAST, SECRET, startReceiver, waitFor, type TestReceiver } from '../support/webhook-receiver.js';
import { initiate, isRetryable, isTyped, metricTotal, type Answer } from '../support/payment-answers.js';

const REFERENCES = 30;
const ATTEMPTS = 150;

let topology: SentinelProcesses;
let receiver: TestReceiver;
let pair: TwoInstances;
let sandbox: Sandbox;
let a: Stack;
let b: Stack;
let input: Record<string, string>;
let client: TwoInstances['client'];
let copiesOf: TwoInstances['copiesOf'];

beforeAll(async () => {
  [topology, receiver] = await Promise.all([startSentinels(), startReceiver(() => 200)]);
  pair = await startTwoInstances({
    env: {
      REDIS_SENTINELS: topology.sentinels,
      REDIS_SENTINEL_NAME: topology.name,
      KSPAY_TIMEOUT_MS: '500',
      WEBHOOK_URL: receiver.url,
      WEBHOOK_SECRET: SECRET,
    },
    overrides: { webhooks: FAST, observability: { dependencyCheckCacheMs: 0 } },
    attempts: ATTEMPTS,
  });
  ({ sandbox, a, b, input, client, copiesOf } = pair);
}, 60_000);
afterAll(async () => {
  await pair?.close();
  await receiver?.stop();
  await topology?.stop();
});

describe('Sentinel failover under payment load', () => {
  it('checks the primary the sentinels name for an append-only file at start-up', async () => {
    const named = { kind: 'sentinel' as const, sentinels: topology.sentinels.split(','), name: topology.name, password: null };
    expect(await checkRedisPersistence(named, false)).toBe('aof');
  });

  it('a claim no replica acknowledges is refused, typed and retryable, before any KS Pay call', async () => {
    sandbox.calls.reset();
    const referenceNumber = newReference('unreplicated');
    topology.pauseReplica();
    let refused: Answer;
    try {
      refused = await initiate(a.gql, { ...input, referenceNumber });
    } finally {
      topology.resumeReplica();
    }
    expect(refused).toMatchObject({ __typename: 'UpstreamUnavailableError', retryable: true });
    expect(sandbox.calls.count('initiate')).toBe(0);
    expect(await metricTotal(a.url, 'kspay_gateway_redis_claims_unreplicated_total')).toBe(1);
    // The claim was taken back: the retry goes through, once.
    expect(await client(referenceNumber, 1, [])).toMatchObject({ __typename: 'InitiateTransactionSuccess' });
    expect(copiesOf(referenceNumber)).toHaveLength(1);
  });

  it('primary SIGKILLed, replica promoted: every answer typed, 0 doubled, 0 lost webhooks, the failover counted', async () => {
    const before = await (await fetch(`${a.url}/health/dependencies`)).json();
    expect(before.redisTopology).toMatchObject({ kind: 'sentinel', primaries: [`127.0.0.1:${topology.primaryPort}`], replicas: [1] });

    const answers: Answer[] = [];
    const references = Array.from({ length: REFERENCES }, () => newReference('failover'));
    sandbox.faults.set({ latencyMs: 100 });
    const firstRound = Promise.all(references.map((reference, i) => client(reference, i, answers)));
    while (answers.length < REFERENCES / 3) await new Promise((resolve) => setTimeout(resolve, 5));
    await topology.killPrimary();
    await topology.promoted();
    const first = await firstRound;
    sandbox.faults.reset();
    // Clients send what they already sent again, on both instances.
    for (const round of [0, 1]) await Promise.all(references.map((reference, i) => client(reference, i + round, answers)));

    expect(answers.filter((answer) => !isTyped(answer))).toEqual([]);
    expect(references.filter((reference) => copiesOf(reference).length > 1)).toEqual([]);
    references.forEach((reference, i) => {
      if (first[i]?.__typename === 'InitiateTransactionSuccess') expect(copiesOf(reference)).toHaveLength(1);
    });
    const finals = new Set(answers.filter((answer) => !isRetryable(answer)).map((answer) => answer.reason ?? answer.__typename));
    expect([...finals].every((kind) => kind === 'InitiateTransactionSuccess' || kind === 'LOST')).toBe(true);

    // Recovery counted: each instance saw a new primary.
    for (const stack of [a, b])
      await waitFor('the new primary seen', async () => (await metricTotal(stack.url, 'kspay_gateway_redis_primary_changes_total')) >= 1);
    expect(await metricTotal(a.url, 'kspay_gateway_idempotency_store_losses_total')).toBeGreaterThanOrEqual(1);
    const after = await (await fetch(`${a.url}/health/dependencies`)).json();
    expect(after.redisTopology.primaries).toEqual([`127.0.0.1:${topology.replicaPort}`]);

    // 0 lost webhooks: every transaction made has its initiated event delivered (the sweep re-derives what the failover lost).
    const transactions = references.flatMap((reference) => copiesOf(reference).map((t) => t.id));
    expect(transactions.length).toBeGreaterThan(0);
    await waitFor(
      'every initiated event',
      () => transactions.every((id) => receiver.delivered().some((r) => r.transactionId === id && r.type === 'transaction.initiated')),
      30_000,
    );
  }, 120_000);
});
