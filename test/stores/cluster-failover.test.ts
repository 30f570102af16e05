/**
 * A Redis Cluster failover under payment load: three primaries with a replica each (real
 * processes), two gateway instances on REDIS_CLUSTER_NODES, clients retrying their
 * references on either. The primary holding the webhook outbox's slot (and a third of the
 * idempotency tags) is SIGKILLed mid-load; its replica is promoted. Every answer is typed,
 * no reference gets a second KS Pay transaction, no transaction's webhook is lost, and the
 * failover is counted and shown on /health/dependencies. Before that: with every replica
 * stopped, a claim is refused (typed, retryable) before any KS Pay call.
 */
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Sandbox } from '../../src/sandbox/server.js';
import { newReference } from '../support/references.js';
import type { Stack } from '../support/stack.js';
import { startTwoInstances, type TwoInstances } from '../support/two-instances.js';
import { startRedisCluster, type RedisClusterProcesses } from '../support/redis-cluster.js';
import { FAST, SECRET, startReceiver, type TestReceiver } from '../support/webhook-receiver.js';
import { initiate, isRetryable, isTyped, metricTotal, type Answer } from '../support/payment-answers.js';

const REFERENCES = 30;
const ATTEMPTS = 150;

let cluster: RedisClusterProcesses;
let receiver: TestReceiver;
let pair: TwoInstances;
let sandbox: Sandbox;
let a: Stack;
let b: Stack;
let input: Record<string, string>;
let client: TwoInstances['client'];
let copiesOf: TwoInstances['copiesOf'];

beforeAll(async () => {
  [cluster, receiver] = await Promise.all([startRedisCluster({ replicas: 1 }), startReceiver(() => 200)]);
  pair = await startTwoInstances({
    env: { REDIS_CLUSTER_NODES: cluster.nodes, KSPAY_TIMEOUT_MS: '500', WEBHOOK_URL: receiver.url, WEBHOOK_SECRET: SECRET },
    overrides: { webhooks: FAST, observability: { dependencyCheckCacheMs: 0 } },
    attempts: ATTEMPTS,
  });
  ({ sandbox, a, b, input, client, copiesOf } = pair);
}, 90_000);
afterAll(async () => {
  await pair?.close();
  await receiver?.stop();
  await cluster?.stop();
});

const topologyOf = async (stack: Stack) => (await (await fetch(`${stack.url}/health/dependencies`)).json()).redisTopology;

/** The slot of the webhook outbox's hash tag, `{<app id>}`. */
async function outboxSlot(): Promise<number> {
  const [first, ...rest] = cluster.connections() as [Redis, ...Redis[]];
  try {
    return Number(await first.cluster('KEYSLOT', `{${sandbox.credentials.appId}}`));
  } finally {
    for (const node of [first, ...rest]) node.disconnect();
  }
}

describe('Redis Cluster failover under payment load', () => {
  it('a claim no replica acknowledges is refused, typed and retryable, before any KS Pay call', async () => {
    // Each instance knows every primary has a replica before it must wait for one.
    for (const stack of [a, b]) await vi.waitUntil(async () => (await topologyOf(stack)).replicas.every((n: number) => n >= 1), { timeout: 15_000 });
    sandbox.calls.reset();
    const referenceNumber = newReference('unreplicated');
    await cluster.pauseReplicas();
    let refused: Answer;
    try {
      refused = await initiate(a.gql, { ...input, referenceNumber });
    } finally {
      cluster.resumeReplicas();
    }
    expect(refused).toMatchObject({ __typename: 'UpstreamUnavailableError', retryable: true });
    expect(sandbox.calls.count('initiate')).toBe(0);
    expect(await metricTotal(a.url, 'kspay_gateway_redis_claims_unreplicated_total')).toBe(1);
    // The retry's claim waited for its replica's acknowledgement, then KS Pay was called once.
    const replicated = async () =>
      (await metricTotal(a.url, 'kspay_gateway_redis_claims_replicated_total')) + (await metricTotal(b.url, 'kspay_gateway_redis_claims_replicated_total'));
    const waitedBefore = await replicated();
    expect(await client(referenceNumber, 1, [])).toMatchObject({ __typename: 'InitiateTransactionSuccess' });
    expect(copiesOf(referenceNumber)).toHaveLength(1);
    expect(await replicated()).toBe(waitedBefore + 1);
  });

  it("the outbox's primary SIGKILLed, its replica promoted: every answer typed, 0 doubled, 0 lost webhooks, the failover counted", async () => {
    const slot = await outboxSlot();
    const doomed = await cluster.primaryOf(slot);
    const before = await topologyOf(a);
    expect(before).toMatchObject({ kind: 'cluster', clusterState: 'ok' });
    expect(before.primaries).toContain(`127.0.0.1:${doomed}`);
    const changesBefore = await Promise.all([a, b].map((stack) => metricTotal(stack.url, 'kspay_gateway_redis_primary_changes_total')));

    const answers: Answer[] = [];
    const references = Array.from({ length: REFERENCES }, () => newReference('cluster-failover'));
    sandbox.faults.set({ latencyMs: 100 });
    const firstRound = Promise.all(references.map((reference, i) => client(reference, i, answers)));
    while (answers.length < REFERENCES / 3) await new Promise((resolve) => setTimeout(resolve, 5));
    await cluster.killNode(doomed);
    const promoted = await cluster.failedOver(slot, doomed);
    const first = await firstRound;
    sandbox.faults.reset();
    // Clients send what they already sent again, on both instances.
    for (const round of [0, 1]) await Promise.all(references.map((reference, i) => client(reference, i + round, answers)));

    expect(answers.filter((answer) => !isTyped(answer))).toEqual([]);
    const doubled = references.filter((reference) => copiesOf(reference).length > 1);
    expect(doubled).toEqual([]);
    references.forEach((reference, i) => {
      if (first[i]?.__typename === 'InitiateTransactionSuccess') expect(copiesOf(reference)).toHaveLength(1);
    });
    const finals = new Set(answers.filter((answer) => !isRetryable(answer)).map((answer) => answer.reason ?? answer.__typename));
    expect([...finals].every((kind) => kind === 'InitiateTransactionSuccess' || kind === 'LOST')).toBe(true);

    // The failover counted on each instance (a new primary run_id), and shown.
    for (const [i, stack] of [a, b].entries()) {
      await vi.waitUntil(async () => (await metricTotal(stack.url, 'kspay_gateway_redis_primary_changes_total')) > (changesBefore[i] ?? 0), {
        timeout: 15_000,
        interval: 100,
      });
    }
    await vi.waitUntil(async () => (await topologyOf(a)).primaries.includes(`127.0.0.1:${promoted}`), { timeout: 15_000, interval: 100 });
    const after = await topologyOf(a);
    expect(after).toMatchObject({ kind: 'cluster', clusterState: 'ok' });
    expect(after.primaries).toHaveLength(3);
    expect(after.primaries).not.toContain(`127.0.0.1:${doomed}`);

    // 0 lost webhooks: every transaction made has its initiated event delivered (the sweep re-derives what the failover lost).
    const transactions = references.flatMap((reference) => copiesOf(reference).map((t) => t.id));
    expect(transactions.length).toBeGreaterThan(0);
    const undelivered = () => transactions.filter((id) => !receiver.delivered().some((r) => r.transactionId === id && r.type === 'transaction.initiated'));
    await vi.waitUntil(() => undelivered().length === 0, { timeout: 30_000, interval: 200 }).catch(() => undefined);
    expect(undelivered()).toEqual([]);
  }, 150_000);
});
