/**
 * KsPayClient when things go wrong, against the sandbox's fault knobs over real HTTP:
 * token expiry and refresh, retries for reads only, timeouts, dropped connections and
 * the circuit breaker. Assertions are on upstream call counts, never on elapsed time.
 */
import { describe, expect, it, vi } from 'vitest';
import { KsPayClient, type KsPayClientOptions } from '../../src/kspay/client.js';
import type { KsPayError } from '../../src/kspay/kspay-error.js';
import { failureOf, initiateArgs } from '../support/client-helpers.js';
import { sandbox, useSandbox } from '../support/sandbox-support.js';
import { freePort } from '../support/loopback.js';

useSandbox();

/**
 * Fast backoff so retries cost milliseconds. The timeout is generous: on a busy machine a
 * storm of 100 calls to the in-process sandbox can take seconds, and a call that times out
 * here would still reach the sandbox later and be counted by the next test. Tests about
 * timeouts set their own.
 */
function clientFor(overrides: Partial<KsPayClientOptions> = {}): KsPayClient {
  return new KsPayClient({
    baseUrl: sandbox().url,
    ...sandbox().credentials,
    timeoutMs: 20_000,
    retry: { baseDelayMs: 5, maxDelayMs: 20 },
    ...overrides,
  });
}

/** A client that has already logged in, with the call counter reset after it. */
async function loggedInClient(overrides: Partial<KsPayClientOptions> = {}): Promise<KsPayClient> {
  const client = clientFor(overrides);
  await client.currencies();
  sandbox().calls.reset();
  return client;
}

describe('token lifecycle', () => {
  it('an expired token is refreshed once and the call replayed', async () => {
    const client = await loggedInClient();
    sandbox().tokens.expireAll();
    await expect(client.currencies()).resolves.toHaveLength(5);
    expect(sandbox().calls.snapshot()).toMatchObject({ refreshToken: 1, generateToken: 0, currencies: 2 });
  });

  it('refreshes before the assumed lifetime runs out, without a refused call', async () => {
    // Lifetime within the margin: every use is "about to expire".
    const client = await loggedInClient({ accessTokenLifetimeMs: 60_000, refreshMarginMs: 60_000 });
    await client.currencies();
    expect(sandbox().calls.snapshot()).toMatchObject({ refreshToken: 1, generateToken: 0, currencies: 1 });
  });

  it('logs in again when the refresh token is refused (9008)', async () => {
    const client = await loggedInClient();
    sandbox().tokens.expireAll();
    sandbox().faults.set({ forceError: { refreshToken: { status: 401, code: 9008, times: 1 } } });
    await expect(client.currencies()).resolves.toHaveLength(5);
    expect(sandbox().calls.snapshot()).toMatchObject({ refreshToken: 1, generateToken: 1, currencies: 2 });
  });

  it('a storm of 100 reads after expiry makes exactly one refresh', async () => {
    const client = await loggedInClient();
    sandbox().tokens.expireAll();
    const results = await Promise.allSettled(Array.from({ length: 100 }, () => client.currencies()));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(100);
    expect(sandbox().calls.snapshot()).toMatchObject({ refreshToken: 1, generateToken: 0 });
  });

  it('100 first calls at once make exactly one login', async () => {
    const client = clientFor();
    const results = await Promise.allSettled(Array.from({ length: 100 }, () => client.currencies()));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(100);
    expect(sandbox().calls.snapshot()).toMatchObject({ generateToken: 1, refreshToken: 0, currencies: 100 });
  });

  it('a 401 (9009) on a POST is replayed once with the new token: one transaction', async () => {
    const client = await loggedInClient();
    sandbox().faults.set({ forceError: { initiate: { status: 401, code: 9009, times: 1 } } });
    const args = initiateArgs();
    await client.initiateTransaction(args);
    expect(sandbox().calls.snapshot()).toMatchObject({ refreshToken: 1, initiate: 2 });
    expect(sandbox().transactions.byReference(client.appId, args.referenceNumber)).toHaveLength(1);
  });

  it('replays only once: a second 401 is the error', async () => {
    const client = await loggedInClient();
    sandbox().faults.set({ forceError: { transaction: { status: 401, code: 9009 } } });
    const error = await failureOf(client.transaction({ id: 'tx_Missing01' }));
    expect(error).toMatchObject({ httpStatus: 401, code: 9009, reason: 'rejected', endpoint: 'transaction' });
    expect(sandbox().calls.snapshot()).toMatchObject({ refreshToken: 1, transaction: 2 });
  });
});

describe('retries: reads only', () => {
  it('a read retries through 500s and reports each attempt', async () => {
    const events: { status: number; attempt: number }[] = [];
    const client = await loggedInClient({
      onCall: ({ endpoint, status, attempt }) => endpoint === 'transactions' && events.push({ status, attempt }),
    });
    sandbox().faults.set({ forceError: { transactions: { status: 500, code: 26, times: 2 } } });
    await expect(client.transactions()).resolves.toBeDefined();
    expect(sandbox().calls.count('transactions')).toBe(3);
    expect(events).toEqual([
      { status: 500, attempt: 1 },
      { status: 500, attempt: 2 },
      { status: 200, attempt: 3 },
    ]);
  });

  it('gives up after maxAttempts with the last error', async () => {
    const client = await loggedInClient({ retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 } });
    sandbox().faults.set({ forceError: { currencies: { status: 503, code: 26 } } });
    const error = await failureOf(client.currencies());
    expect(error).toMatchObject({ reason: 'server', httpStatus: 503, code: 26, outcomeUnknown: false });
    expect(sandbox().calls.count('currencies')).toBe(3);
  });

  it('waits as long as Retry-After says, then succeeds', async () => {
    const client = await loggedInClient();
    sandbox().faults.set({ rateLimit: { currencies: { retryAfterSeconds: 1, times: 1 } } });
    await expect(client.currencies()).resolves.toHaveLength(5);
    expect(sandbox().calls.count('currencies')).toBe(2);
  });

  it('gives up with the 429 when Retry-After is beyond the budget', async () => {
    const client = await loggedInClient({ retry: { budgetMs: 10_000 } });
    sandbox().faults.set({ rateLimit: { currencies: { retryAfterSeconds: 60, times: 1 } } });
    const error = await failureOf(client.currencies());
    expect(error).toMatchObject({ reason: 'rate-limited', httpStatus: 429, code: 11005, retryAfterMs: 60_000 });
    expect(sandbox().calls.count('currencies')).toBe(1);
  });

  it('200 reads with 20% of upstream calls failing: at least 99.9% succeed', async () => {
    // Eight attempts: 0.2^8 per read. The breaker counts consecutive failures, and five
    // in a row is routine somewhere in ~300 calls at 20%, so its threshold is raised here.
    const client = await loggedInClient({
      retry: { maxAttempts: 8, baseDelayMs: 1, maxDelayMs: 10 },
      breaker: { failureThreshold: 50 },
    });
    sandbox().faults.set({ failureRate: { transactions: 0.2 } });
    const results = await Promise.allSettled(Array.from({ length: 200 }, () => client.transactions({ limit: 1 })));
    const succeeded = results.filter((r) => r.status === 'fulfilled').length;
    expect(succeeded).toBeGreaterThanOrEqual(199.8);
    expect(sandbox().calls.count('transactions')).toBeGreaterThan(200); // the faults were real
  });

  it('a POST is never retried: one call, the 500 error', async () => {
    const client = await loggedInClient();
    sandbox().faults.set({ forceError: { initiate: { status: 500, code: 26, times: 1 } } });
    const error = await failureOf(client.initiateTransaction(initiateArgs()));
    expect(error).toMatchObject({ reason: 'server', httpStatus: 500, endpoint: 'initiate' });
    expect(sandbox().calls.count('initiate')).toBe(1);
  });

  it('a failed login is not retried by the read that needed it', async () => {
    const client = clientFor();
    sandbox().faults.set({ forceError: { generateToken: { status: 500, code: 26, times: 1 } } });
    const error = await failureOf(client.currencies());
    expect(error).toMatchObject({ endpoint: 'generateToken', reason: 'server' });
    expect(sandbox().calls.snapshot()).toMatchObject({ generateToken: 1, currencies: 0 });
    await expect(client.currencies()).resolves.toHaveLength(5);
  });
});

describe('no answer', () => {
  it('a hung POST times out with its outcome unknown, and is not retried', async () => {
    // Signed with the secret key rather than a token: no login, which the short timeout could cut off too.
    const client = clientFor({ timeoutMs: 200, initiateAuth: 'signature' });
    sandbox().faults.set({ hang: { initiate: 1 } });
    const error = await failureOf(client.initiateTransaction(initiateArgs()));
    expect(error).toMatchObject({ reason: 'timeout', httpStatus: 0, code: null, outcomeUnknown: true });
    expect(sandbox().calls.count('initiate')).toBe(1);
  });

  it('a hung read is retried within its budget', async () => {
    // The hang costs one timeout; the timeout is long enough for a normal answer on a busy machine.
    const client = await loggedInClient({ timeoutMs: 3000, retry: { budgetMs: 25_000, baseDelayMs: 1 } });
    sandbox().faults.set({ hang: { transactions: 1 } });
    await expect(client.transactions()).resolves.toBeDefined();
    expect(sandbox().calls.count('transactions')).toBe(2);
  });

  it('a connection dropped after the work was done: outcome unknown, and the transaction exists', async () => {
    const client = await loggedInClient();
    sandbox().faults.set({ dropAfterCommit: { initiate: 1 } });
    const args = initiateArgs();
    const error = await failureOf(client.initiateTransaction(args));
    expect(error).toMatchObject({ reason: 'network', httpStatus: 0, outcomeUnknown: true, endpoint: 'initiate' });
    expect(sandbox().transactions.byReference(client.appId, args.referenceNumber)).toHaveLength(1);
    expect(sandbox().calls.count('initiate')).toBe(1);
  });

  it('a refused connection: network, and the outcome is known (nothing was sent)', async () => {
    const client = clientFor({ baseUrl: `http://127.0.0.1:${await freePort()}` });
    const error = await failureOf(client.initiateTransaction(initiateArgs()));
    expect(error).toMatchObject({ reason: 'network', httpStatus: 0, outcomeUnknown: false, endpoint: 'generateToken' });
  });
});

describe('circuit breaker', () => {
  // Tests that watch the breaker stay open use a cool-down no test outlasts; tests that need
  // it to pass use a short one and wait for the half-open state, never for a time.
  const breaker = { failureThreshold: 3, coolDownMs: 10 * 60_000 };
  const quickBreaker = { failureThreshold: 3, coolDownMs: 200 };
  const untilHalfOpen = (client: KsPayClient) => vi.waitFor(() => expect(client.breakerState()).toBe('half-open'), { timeout: 20_000, interval: 20 });

  it('opens after the threshold and fails fast without calling', async () => {
    const client = await loggedInClient({ breaker, retry: { maxAttempts: 1 } });
    sandbox().faults.set({ down: true });
    for (let i = 0; i < breaker.failureThreshold; i++) {
      expect(await failureOf(client.currencies())).toMatchObject({ reason: 'network' });
    }
    expect(client.breakerState()).toBe('open');
    const callsWhenOpened = sandbox().calls.count();
    expect(callsWhenOpened).toBe(breaker.failureThreshold);

    for (let i = 0; i < 10; i++) {
      const error = await failureOf(client.transactions());
      expect(error).toMatchObject({ reason: 'circuit-open', httpStatus: 0, code: null, outcomeUnknown: false });
    }
    expect(sandbox().calls.count()).toBe(callsWhenOpened);
  });

  it('after the cool-down, one successful probe closes it', async () => {
    const client = await loggedInClient({ breaker: quickBreaker, retry: { maxAttempts: 1 } });
    sandbox().faults.set({ down: true });
    for (let i = 0; i < quickBreaker.failureThreshold; i++) await failureOf(client.currencies());
    sandbox().faults.reset();
    await untilHalfOpen(client);
    sandbox().calls.reset();
    await expect(client.currencies()).resolves.toHaveLength(5);
    expect(client.breakerState()).toBe('closed');
    expect(sandbox().calls.count()).toBe(1);
  });

  it('half-open lets exactly one probe through; a failed probe does not close it', async () => {
    const client = await loggedInClient({ breaker: quickBreaker, retry: { maxAttempts: 1 } });
    sandbox().faults.set({ down: true });
    for (let i = 0; i < quickBreaker.failureThreshold; i++) await failureOf(client.currencies());
    await untilHalfOpen(client);

    sandbox().calls.reset();
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => client.currencies()));
    const reasons = results.map((r) => (r.status === 'rejected' ? (r.reason as KsPayError).reason : 'ok'));
    expect(reasons.filter((r) => r === 'network')).toHaveLength(1);
    expect(reasons.filter((r) => r === 'circuit-open')).toHaveLength(4);
    expect(sandbox().calls.count()).toBe(1);
    // Reopened: 'open', or 'half-open' again if another cool-down has passed meanwhile.
    expect(client.breakerState()).not.toBe('closed');
  });

  it('retries count against the breaker, and 4xx answers do not', async () => {
    const client = await loggedInClient({ breaker, retry: { maxAttempts: 10, baseDelayMs: 1, maxDelayMs: 5 } });
    for (let i = 0; i < 5; i++) await failureOf(client.transaction({ id: 'tx_Missing01' }));
    expect(client.breakerState()).toBe('closed');

    sandbox().faults.set({ forceError: { currencies: { status: 500, code: 26 } } });
    const error = await failureOf(client.currencies());
    expect(error.reason).toBe('circuit-open');
    expect(sandbox().calls.count('currencies')).toBe(breaker.failureThreshold);
  });
});
