/**
 * A webhook attempt under way when SIGTERM arrives is never lost: it finishes and is
 * recorded before the process exits, or, if it outlives SHUTDOWN_DRAIN_MS, it goes back to
 * the outbox with its lane released, and another instance on the same Redis sends it at
 * its next tick — not after the lane's lease (here two minutes) runs out.
 */
import { createServer, type ServerResponse } from 'node:http';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/server.js';
import { startStack, type ProcessStack, type Stack } from '../support/stack.js';
import { closeServer, listenOnLoopback } from '../support/loopback.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { initiate } from '../support/webhook-payments.js';
import { FAST, SECRET, waitFor } from '../support/webhook-receiver.js';

const DELIVERIES = `query($tx: ID) { webhookDeliveries(transactionId: $tx) { edges { node { id deliveries { state attempts } } } } }`;

/** A receiver that holds every request until the test answers it. */
interface HoldingReceiver {
  url: string;
  /** Requests by event id, in arrival order, each with the response to answer. */
  requests: { eventId: string; response: ServerResponse }[];
  close(): Promise<void>;
}

async function startHoldingReceiver(): Promise<HoldingReceiver> {
  const requests: HoldingReceiver['requests'] = [];
  const server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    requests.push({ eventId: JSON.parse(Buffer.concat(chunks).toString()).id, response });
  });
  const { url } = await listenOnLoopback(server);
  return { url: `${url}/hooks`, requests, close: () => closeServer(server) };
}

let redis: RedisServer;
let sandbox: Sandbox;
let receiver: HoldingReceiver;
let env: Record<string, string>;
beforeAll(async () => {
  redis = await startRedisServer();
  sandbox = await startSandbox();
  receiver = await startHoldingReceiver();
  // A lane's lease is twice the attempt timeout: two minutes here, far past any wait below.
  env = { GATEWAY_AUTH: 'off', REDIS_URL: redis.url, WEBHOOK_URL: receiver.url, WEBHOOK_SECRET: SECRET, WEBHOOK_TIMEOUT_MS: '60000' };
});
beforeEach(() => void (receiver.requests.length = 0));
afterAll(async () => {
  for (const { response } of receiver?.requests ?? []) response.destroy();
  await receiver?.close();
  await sandbox?.close();
  await redis?.stop();
});

/** The instance that reads the shared outbox (and, with short ticks, delivers from it). */
function startSurvivor(): Promise<Stack> {
  return startStack({ sharedSandbox: sandbox, env, overrides: { webhooks: FAST } });
}

/** How many QUIT commands the Redis server has received: a graceful close sends one per connection. */
async function quitsReceived(): Promise<number> {
  const admin = new Redis(redis.url, { lazyConnect: true });
  try {
    await admin.connect();
    return Number(/cmdstat_quit:calls=(\d+)/.exec(await admin.info('commandstats'))?.[1] ?? 0);
  } finally {
    admin.disconnect();
  }
}

async function deliveriesOf(stack: Stack, transactionId: string) {
  const { data } = await stack.gql(DELIVERIES, { tx: transactionId });
  return data.webhookDeliveries.edges[0].node.deliveries as { state: string; attempts: number }[];
}

describe('SIGTERM during a webhook attempt', () => {
  it('lets the attempt finish and records it before exiting, then closes Redis with QUIT', async () => {
    const doomed: ProcessStack = await startStack({ process: true, sharedSandbox: sandbox, env });
    let survivor: Stack | undefined;
    try {
      const payment = await initiate(doomed);
      const attempt = await waitFor('the first attempt', () => receiver.requests[0]);
      survivor = await startSurvivor(); // after the doomed instance holds the lane
      const quitsBefore = await quitsReceived();
      doomed.signal('SIGTERM');
      await waitFor('draining', () => doomed.output().includes('shutdown: draining'));
      attempt.response.writeHead(200).end();

      expect(await doomed.exited).toBe(0);
      expect(doomed.output()).toMatch(/"webhookAttemptsUnderWay":1,"webhookAttemptsHandedBack":0/);
      expect((await quitsReceived()) - quitsBefore).toBe(2); // its command and its subscriber connections
      expect(await deliveriesOf(survivor, payment.id)).toEqual([{ state: 'DELIVERED', attempts: 1 }]);
      expect(receiver.requests.map((r) => r.eventId)).toEqual([attempt.eventId]);
    } finally {
      await survivor?.close();
      await doomed.stop('SIGKILL');
    }
  }, 60_000);

  it('hands an attempt that outlives the deadline back to the outbox; another instance sends it at once', async () => {
    const doomed = await startStack({ process: true, sharedSandbox: sandbox, env: { ...env, SHUTDOWN_DRAIN_MS: '1000' } });
    let survivor: Stack | undefined;
    try {
      const payment = await initiate(doomed);
      const attempt = await waitFor('the first attempt', () => receiver.requests[0]); // never answered
      survivor = await startSurvivor();
      doomed.signal('SIGTERM');

      expect(await doomed.exited).toBe(0);
      expect(doomed.output()).toMatch(/"webhookAttemptsUnderWay":1,"webhookAttemptsHandedBack":1/);
      const resent = await waitFor('the same event again, from the survivor', () => receiver.requests[1], 20_000);
      expect(resent.eventId).toBe(attempt.eventId);
      resent.response.writeHead(200).end();
      await waitFor('recorded', async () => (await deliveriesOf(survivor!, payment.id))[0]!.state === 'DELIVERED');
      // The cut attempt was recorded as nothing: one attempt counted, the survivor's.
      expect(await deliveriesOf(survivor, payment.id)).toEqual([{ state: 'DELIVERED', attempts: 1 }]);
    } finally {
      await survivor?.close();
      await doomed.stop('SIGKILL');
    }
  }, 60_000);
});
