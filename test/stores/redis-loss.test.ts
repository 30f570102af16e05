/**
 * A Redis that forgets, mid-load, with two gateway instances on it and clients retrying
 * the same references on either: SIGKILLed and restarted without persistence, or
 * FLUSHALLed. No reference ever gets a second KS Pay transaction, and every answer is
 * typed. (Before the look-up window, a retry after the loss found no record and sent a
 * second initiate: the issue saw 102 of 200 references paid twice.) On one Redis and on a
 * three-primary Cluster (every node restarted, or every primary FLUSHALLed).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/server.js';
import { newReference } from '../support/references.js';
import type { Stack } from '../support/stack.js';
import { startTwoInstances, type TwoInstances } from '../support/two-instances.js';
import { REDIS_TOPOLOGIES, startRedisTopology, type RedisUnderTest } from '../support/redis-topologies.js';
import { isRetryable, isTyped, metricTotal, type Answer } from '../support/payment-answers.js';

const REFERENCES = 40;
const ATTEMPTS = 60;

describe.each(REDIS_TOPOLOGIES)('on %s Redis', (kind) => {
  let redis: RedisUnderTest;
  let pair: TwoInstances;
  let sandbox: Sandbox;
  let a: Stack;
  let b: Stack;
  let client: TwoInstances['client'];

  beforeAll(async () => {
    redis = await startRedisTopology(kind, { persistence: false });
    pair = await startTwoInstances({ env: { ...redis.env, KSPAY_TIMEOUT_MS: '500' }, attempts: ATTEMPTS });
    ({ sandbox, a, b, client } = pair);
  }, 60_000);
  afterAll(async () => {
    await pair?.close();
    await redis?.stop();
  });
  beforeEach(() => {
    sandbox.faults.reset();
    sandbox.calls.reset();
  });

  function copiesOf(referenceNumber: string): number {
    return sandbox.transactions.byReference(sandbox.credentials.appId, referenceNumber).length;
  }

  /**
   * Sends REFERENCES references (upstream latency so some are in flight), has Redis forget
   * mid-load, then every client sends its reference again on both instances.
   */
  async function loadThrough(forget: () => Promise<void>): Promise<{ references: string[]; answers: Answer[]; first: Answer[] }> {
    const answers: Answer[] = [];
    const references = Array.from({ length: REFERENCES }, () => newReference('chaos'));
    sandbox.faults.set({ latencyMs: 150 });
    const firstRound = Promise.all(references.map((reference, i) => client(reference, i, answers)));
    // Mid-load: a quarter of the clients have their answer, the rest are in flight.
    while (answers.length < REFERENCES / 4) await new Promise((resolve) => setTimeout(resolve, 5));
    await forget();
    const first = await firstRound;
    sandbox.faults.reset();
    // Clients retry what they already sent (a job queue's at-least-once redelivery), on both instances.
    for (const round of [0, 1]) await Promise.all(references.map((reference, i) => client(reference, i + round, answers)));
    return { references, answers, first };
  }

  function expectExactlyOnce({ references, answers, first }: Awaited<ReturnType<typeof loadThrough>>): void {
    expect(answers.filter((answer) => !isTyped(answer))).toEqual([]);
    const doubled = references.filter((reference) => copiesOf(reference) > 1);
    expect(doubled).toEqual([]);
    // A success is one real transaction; no answer ever names a second one.
    references.forEach((reference, i) => {
      if (first[i]!.__typename === 'InitiateTransactionSuccess') expect(copiesOf(reference)).toBe(1);
    });
    const ids = answers.flatMap((answer) => (answer.transaction ? [answer.transaction.id] : []));
    const known = new Set(references.flatMap((reference) => sandbox.transactions.byReference(sandbox.credentials.appId, reference).map((t) => t.id)));
    expect(ids.filter((id) => !known.has(id))).toEqual([]);
    // What a lost record leaves: the same transaction again, or SIGNATURE_INVALID LOST naming it; never a new one.
    const finals = new Set(answers.filter((answer) => !isRetryable(answer)).map((answer) => answer.reason ?? answer.__typename));
    expect([...finals].every((kind) => kind === 'InitiateTransactionSuccess' || kind === 'LOST')).toBe(true);
  }

  describe('Redis forgets mid-load', () => {
    it('restarted without persistence: 0 references with a second transaction, every answer typed', async () => {
      const outcome = await loadThrough(async () => {
        await redis.stop();
        await redis.start();
      });
      expectExactlyOnce(outcome);
      // Each instance sees it: in a claim, or on its epoch timer (every 2 s) if it made none since,
      // which on a busy machine may come after the load's last answer.
      const lossesSeen = (url: string) => metricTotal(url, 'kspay_gateway_idempotency_store_losses_total');
      await expect.poll(() => lossesSeen(a.url), { timeout: 30_000, interval: 100 }).toBeGreaterThanOrEqual(1);
      await expect.poll(() => lossesSeen(b.url), { timeout: 30_000, interval: 100 }).toBeGreaterThanOrEqual(1);
      // The retries looked their references up in KS Pay: on whichever instance's claim met the loss first (the other
      // may learn of it only from its timer, after its last claim, and then has nothing to look up).
      const lookups = (url: string) => metricTotal(url, 'kspay_gateway_idempotency_loss_lookups_total');
      expect((await lookups(a.url)) + (await lookups(b.url))).toBeGreaterThan(0);
    });

    it('FLUSHALLed: the same', async () => {
      expectExactlyOnce(await loadThrough(() => redis.flushAll()));
    });
  });
});
