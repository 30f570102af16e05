/**
 * A rolling deploy's SIGTERM, on the gateway as its own process (src/main.ts) in front of
 * the sandbox: readiness turns 503 first, nothing in flight is cut, long-lived streams end
 * so their clients reconnect elsewhere, and the process exits 0. Each stage is a condition
 * waited on (a log line, a count), never a length of time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/server.js';
import { startStack, type ProcessStack } from '../support/stack.js';
import { newReference } from '../support/references.js';
import { subscribe } from '../support/sse.js';
import { holdRequest, subscribeOverWebSocket } from '../support/drain-probes.js';
import { CATALOG, INITIATE, PROCESS, WATCH } from '../support/documents.js';

const GATEWAY_ENV = { GATEWAY_AUTH: 'off' };

let sandbox: Sandbox;
let input: { currencyId: string; paymentMethodId: string; amount: string; redirectUrl: string };
/** Every test's gateway, started at once before the first: each start is seconds of waiting on a busy machine. */
let gateways: Record<'payments' | 'subscriptions' | 'deadline' | 'SIGTERM' | 'SIGINT', ProcessStack>;
beforeAll(async () => {
  sandbox = await startSandbox();
  const [payments, subscriptions, deadline, secondTerm, secondInt] = await Promise.all([
    startGateway(),
    startGateway(),
    startGateway({ SHUTDOWN_DRAIN_MS: '1000' }),
    startGateway(),
    startGateway(),
  ]);
  gateways = { payments, subscriptions, deadline, SIGTERM: secondTerm, SIGINT: secondInt };
  // The start-up logins are not what a test counts.
  sandbox.calls.reset();
});
afterAll(async () => {
  for (const gateway of Object.values(gateways ?? {})) await gateway.stop('SIGKILL');
  await sandbox?.close();
});

async function startGateway(env: Record<string, string> = {}): Promise<ProcessStack> {
  const gateway = await startStack({ process: true, sharedSandbox: sandbox, env: { ...GATEWAY_ENV, ...env } });
  const { data } = await gateway.gql(CATALOG);
  const usd = data.currencies.find((c: { code: string }) => c.code === 'USD');
  input = { currencyId: usd.id, paymentMethodId: usd.paymentMethods[0].id, amount: '19.99', redirectUrl: 'https://shop.example/r' };
  return gateway;
}

async function initiate(gateway: ProcessStack, referenceNumber: string) {
  return (await gateway.gql(INITIATE, { input: { ...input, referenceNumber } })).data.initiateTransaction;
}

/** Resolves once the process has printed a line matching `pattern`. */
async function printed(gateway: ProcessStack, pattern: RegExp): Promise<void> {
  while (!pattern.test(gateway.output())) {
    if ((await Promise.race([gateway.exited.then(() => 'exited'), new Promise((resolve) => setTimeout(resolve, 20))])) === 'exited') {
      if (pattern.test(gateway.output())) return;
      throw new Error(`the gateway exited before printing ${pattern}: ${gateway.output()}`);
    }
  }
}

const until = async (condition: () => boolean) => {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
};

describe('SIGTERM with payments in flight', () => {
  it('answers /readyz 503 first, stops accepting, answers all 50 requests in flight, and exits 0', async () => {
    const gateway = gateways.payments;
    // 25 transactions to process, initiated before KS Pay turns slow.
    const processReferences = Array.from({ length: 25 }, () => newReference('drain-p'));
    const toProcess = await Promise.all(processReferences.map((reference) => initiate(gateway, reference)));
    expect(toProcess.every((r) => r.__typename === 'InitiateTransactionSuccess')).toBe(true);

    sandbox.calls.reset();
    sandbox.faults.set({ latencyMs: 1_500 });
    const references = Array.from({ length: 25 }, () => newReference('drain-i'));
    const initiates = references.map((reference) => initiate(gateway, reference));
    const processes = toProcess.map(async (r) => (await gateway.gql(PROCESS, { input: { signature: r.signature } })).data.processTransaction);
    try {
      // All 50 have reached KS Pay, and wait there for its answer.
      await until(() => sandbox.calls.count('initiate') === 25 && sandbox.calls.count('process') === 25);
      // A readiness probe on a connection opened before the signal, its headers not yet complete.
      const probe = await holdRequest(gateway.url, '/readyz');
      gateway.signal('SIGTERM');
      await printed(gateway, /shutdown: draining/);

      // Out of rotation, while the 50 are still in flight: the probe read now answers 503.
      const readiness = await probe.finish();
      expect(readiness.status).toBe(503);
      expect(JSON.parse(readiness.body)).toEqual({ status: 'draining' });
      expect(readiness.headers.connection).toBe('close');
      // And no new connection is accepted.
      await expect(fetch(`${gateway.url}/healthz`)).rejects.toThrow();

      const answers = [...(await Promise.all(initiates)), ...(await Promise.all(processes))];
      expect(answers.filter((a) => a.__typename === 'InitiateTransactionSuccess')).toHaveLength(25);
      expect(answers.filter((a) => a.__typename === 'ProcessTransactionSuccess')).toHaveLength(25);
      expect(await gateway.exited).toBe(0);
    } finally {
      sandbox.faults.reset();
      await gateway.stop('SIGKILL');
    }
    for (const reference of [...references, ...processReferences]) {
      expect(sandbox.transactions.byReference(sandbox.credentials.appId, reference), reference).toHaveLength(1);
    }
    expect(sandbox.calls.count('initiate')).toBe(25);
    const output = gateway.output();
    for (const phase of ['draining', 'streams ended', 'drained', 'closed']) expect(output).toContain(`shutdown: ${phase}`);
    // Drained before the deadline, though this test's client kept idle keep-alive connections open: they were closed.
    expect(output).toContain('"requestsCut":0');
    expect(output).not.toContain('drain deadline reached');
  }, 60_000);
});

describe('SIGTERM with subscriptions open', () => {
  it('completes an SSE subscription and closes a graphql-ws socket with 1001, then exits 0', async () => {
    const gateway = gateways.subscriptions;
    const payment = await initiate(gateway, newReference('drain-sub'));
    const sse = subscribe(gateway.url, WATCH, { id: payment.transaction.id });
    expect((await sse.next()).data.transactionUpdated.status).toBe('INITIATED');
    const ws = await subscribeOverWebSocket(gateway.url, WATCH, { id: payment.transaction.id });
    expect(ws.results).toHaveLength(1);
    try {
      gateway.signal('SIGTERM');
      await sse.completed; // resolves only on the server's `complete`, rejects on a cut stream
      expect((await ws.closed).code).toBe(1001);
      expect(await gateway.exited).toBe(0);
      expect(gateway.output()).toMatch(/"subscriptionsEnded":2,"websocketsClosed":1/);
    } finally {
      sse.close();
      await gateway.stop('SIGKILL');
    }
  }, 60_000);
});

describe('the drain deadline and a second signal', () => {
  it('cuts what outlives SHUTDOWN_DRAIN_MS and still exits 0', async () => {
    const gateway = gateways.deadline;
    sandbox.calls.reset();
    sandbox.faults.set({ hang: { initiate: 1 } });
    try {
      const stuck = initiate(gateway, newReference('drain-stuck')).then(
        () => 'answered',
        () => 'cut',
      );
      await until(() => sandbox.calls.count('initiate') === 1);
      gateway.signal('SIGTERM');
      expect(await gateway.exited).toBe(0);
      expect(await stuck).toBe('cut');
      expect(gateway.output()).toMatch(/"requestsCut":1.*shutdown: drain deadline reached/);
    } finally {
      sandbox.faults.reset();
      await gateway.stop('SIGKILL');
    }
  }, 60_000);

  it('exits at once on a second SIGTERM (143) or SIGINT (130), with a request still in flight', async () => {
    for (const [second, code] of [
      ['SIGTERM', 143],
      ['SIGINT', 130],
    ] as const) {
      const gateway = gateways[second];
      sandbox.calls.reset();
      sandbox.faults.set({ hang: { initiate: 1 } });
      try {
        void initiate(gateway, newReference('drain-twice')).catch(() => undefined);
        await until(() => sandbox.calls.count('initiate') === 1);
        gateway.signal('SIGTERM');
        await printed(gateway, /shutdown: draining/);
        gateway.signal(second);
        expect(await gateway.exited).toBe(code);
        expect(gateway.output()).toContain(`shutdown: second ${second}, exiting at once`);
      } finally {
        sandbox.faults.reset();
        await gateway.stop('SIGKILL');
      }
    }
  }, 60_000);
});

describe('SHUTDOWN_DRAIN_MS', () => {
  it("defaults to 20 s, below Kubernetes' 30 s grace period, and a bad value stops start-up naming it", () => {
    expect(loadConfig({}).server.shutdownDrainMs).toBe(20_000);
    expect(loadConfig({ SHUTDOWN_DRAIN_MS: '5000' }).server.shutdownDrainMs).toBe(5_000);
    for (const bad of ['0', '-1', '2.5', 'soon']) expect(() => loadConfig({ SHUTDOWN_DRAIN_MS: bad }), bad).toThrow(/^SHUTDOWN_DRAIN_MS: /);
  });
});
