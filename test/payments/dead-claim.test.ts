/**
 * A claim whose holder died: the retry on another instance is answered within
 * CLAIM_WAIT_MS with a typed, retryable UPSTREAM_UNAVAILABLE whose `retryAfterMs` is the
 * claim's lease end, instead of holding the connection for the whole lease; a retry after
 * that resolves the reference by looking it up, without a second transaction.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Decimal } from '../../src/kspay/money.js';
import { fingerprintOf, idempotencyKey, KEYLESS_OWNER } from '../../src/payments/idempotency.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/server.js';
import { startStack, type ProcessStack, type Stack } from '../support/stack.js';
import { newReference } from '../support/references.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { initiate, isRetryable, isTyped, paymentInput, type Answer } from '../support/payment-answers.js';

const TIMEOUT_MS = 2_000;
const LEASE_MS = 3 * TIMEOUT_MS;

let redis: RedisServer;
const env = () => ({ REDIS_URL: redis.url, KSPAY_TIMEOUT_MS: String(TIMEOUT_MS) });

/**
 * One test's upstream, its surviving instance and, for the tests that kill one, the doomed
 * instance. Each test has its own, so the three run at once: most of each is waiting out a
 * lease, and the sandbox's call counts and faults are then that test's alone. All are
 * started before the first test: a process starting beside a test's timed step (a claim
 * whose lease runs) would starve it on a busy machine.
 */
interface World {
  sandbox: Sandbox;
  survivor: Stack;
  doomed: ProcessStack | undefined;
  input: Record<string, string>;
}
const worlds: World[] = [];
let started: Record<'written' | 'killedSlow' | 'killedAfter', World>;

async function startWorld({ withDoomed }: { withDoomed: boolean }): Promise<World> {
  const sandbox = await startSandbox();
  const [survivor, doomed] = await Promise.all([
    startStack({ sharedSandbox: sandbox, env: env() }),
    withDoomed ? startStack({ process: true, sharedSandbox: sandbox, env: { ...env(), GATEWAY_AUTH: 'off' } }) : undefined,
  ]);
  const world = { sandbox, survivor, doomed, input: await paymentInput(survivor.gql) };
  worlds.push(world);
  return world;
}

beforeAll(async () => {
  redis = await startRedisServer();
  const [written, killedSlow, killedAfter] = await Promise.all([
    startWorld({ withDoomed: false }),
    startWorld({ withDoomed: true }),
    startWorld({ withDoomed: true }),
  ]);
  started = { written, killedSlow, killedAfter };
});
afterAll(async () => {
  for (const { doomed, survivor, sandbox } of worlds) {
    await doomed?.stop('SIGKILL');
    await survivor.close();
    await sandbox.close();
  }
  await redis?.stop();
});

const copiesOf = ({ sandbox }: World, referenceNumber: string) => sandbox.transactions.byReference(sandbox.credentials.appId, referenceNumber).length;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The busy answer: typed, retryable, retry after the lease's end (never past a whole lease). */
function expectBusy(answer: Answer): number {
  expect(answer).toMatchObject({ __typename: 'UpstreamUnavailableError', code: 'UPSTREAM_UNAVAILABLE', retryable: true });
  expect(answer.retryAfterMs).toBeGreaterThan(0);
  expect(answer.retryAfterMs).toBeLessThanOrEqual(LEASE_MS);
  return answer.retryAfterMs!;
}

/** Retries after each retryAfterMs until a final answer. */
async function retryUntilFinal({ survivor, input }: World, referenceNumber: string, first: number): Promise<Answer> {
  let waitMs = first;
  for (let attempt = 0; attempt < 10; attempt++) {
    await sleep(waitMs);
    const answer = await initiate(survivor.gql, { ...input, referenceNumber });
    expect(isTyped(answer)).toBe(true);
    if (!isRetryable(answer)) return answer;
    waitMs = answer.retryAfterMs ?? 200;
  }
  throw new Error('no final answer');
}

describe.concurrent("another instance's claim", () => {
  it('written by an instance that died before sending: answered busy within the bound, then sent once', async () => {
    const world = started.written;
    const { sandbox, survivor, input } = world;
    const referenceNumber = newReference('dead-claim');
    const admin = new Redis(redis.url);
    const now = Date.now();
    const claim = {
      state: 'claimed',
      version: 1,
      owner: KEYLESS_OWNER,
      fingerprint: fingerprintOf({
        currencyId: input.currencyId!,
        paymentMethodId: input.paymentMethodId!,
        amount: Decimal.parse(input.amount!)!.text,
        redirectUrl: input.redirectUrl!,
      }),
      createdAt: now,
      claimedAt: now,
      abandonedAt: null,
    };
    await admin.set(`kspay-gateway:idempotency:${idempotencyKey(sandbox.credentials.appId, referenceNumber)}`, JSON.stringify(claim), 'PX', 60_000);
    admin.disconnect();
    sandbox.calls.reset();

    const busy = expectBusy(await initiate(survivor.gql, { ...input, referenceNumber }));
    expect(sandbox.calls.count('initiate')).toBe(0);

    const final = await retryUntilFinal(world, referenceNumber, busy);
    expect(final.__typename).toBe('InitiateTransactionSuccess');
    expect(copiesOf(world, referenceNumber)).toBe(1);
    expect(sandbox.calls.count('transactions')).toBeGreaterThanOrEqual(1); // it looked before sending
  }, 60_000);

  /** Has the world's doomed instance claim the reference and reach KS Pay under `fault`, SIGKILLs it once `ready`. */
  async function killMidInitiate(
    { sandbox, doomed, input }: World,
    referenceNumber: string,
    fault: Parameters<Sandbox['faults']['set']>[0],
    ready: () => boolean,
  ): Promise<void> {
    await doomed!.gql('{ currencies { id paymentMethods { id } } }'); // token and catalog: only the initiate meets the fault
    sandbox.calls.reset();
    sandbox.faults.set(fault);
    const cut = doomed!.gql(INITIATE_ONLY, { input: { ...input, referenceNumber } }).catch(() => null);
    await vi.waitUntil(ready, { timeout: 20_000, interval: 10 });
    await doomed!.stop('SIGKILL');
    await cut;
    sandbox.faults.reset();
  }

  it('of an instance SIGKILLed while KS Pay was slow (nothing created): busy within the bound, then sent once', async () => {
    const world = started.killedSlow;
    const { sandbox, survivor, input } = world;
    const referenceNumber = newReference('killed-slow');
    await killMidInitiate(world, referenceNumber, { latencyMs: 1_500 }, () => sandbox.calls.count('initiate') > 0);

    const busy = expectBusy(await initiate(survivor.gql, { ...input, referenceNumber }));
    expect(sandbox.calls.count('initiate')).toBe(1); // the survivor sent nothing while the claim was live

    const final = await retryUntilFinal(world, referenceNumber, busy);
    expect(final.__typename).toBe('InitiateTransactionSuccess');
    expect(copiesOf(world, referenceNumber)).toBe(1);
  }, 60_000);

  it('of an instance SIGKILLed after KS Pay created the transaction (answer lost): busy, then adopted, never sent twice', async () => {
    const world = started.killedAfter;
    const { sandbox, survivor, input } = world;
    const referenceNumber = newReference('killed-after');
    // KS Pay commits and drops the answer; the instance waits its quiet period (a KSPAY_TIMEOUT_MS), and dies in it.
    await killMidInitiate(world, referenceNumber, { dropAfterCommit: { initiate: 1 } }, () => copiesOf(world, referenceNumber) === 1);

    const busy = expectBusy(await initiate(survivor.gql, { ...input, referenceNumber }));
    const final = await retryUntilFinal(world, referenceNumber, busy);
    // KS Pay's list carries no signature: the transaction the dead instance created is named, never a second one.
    expect(final).toMatchObject({ __typename: 'SignatureInvalidError', code: 'SIGNATURE_INVALID', reason: 'LOST' });
    expect(sandbox.calls.count('initiate')).toBe(1);
    expect(copiesOf(world, referenceNumber)).toBe(1);
  }, 60_000);
});

const INITIATE_ONLY = 'mutation($input: InitiateTransactionInput!) { initiateTransaction(input: $input) { __typename } }';
