/**
 * Everything one block of cases runs against, on 127.0.0.1 in this process: the gateway
 * in the variants compared (plain, with graphql-jit, with a response cache, with a 1 ms
 * catalog TTL) and the bare-upstream client on one sandbox, and the naive gateway on a
 * sandbox of its own, seeded alike.
 *
 * Why two: when one field of a naive request fails, graphql-js answers without waiting
 * for the request's other upstream calls, which go on (with retries) for seconds. On a
 * shared sandbox those calls would be counted against whichever case runs next.
 */
import { useGraphQlJit } from '@envelop/graphql-jit';
import { useResponseCache } from '@graphql-yoga/plugin-response-cache';
import type { Plugin } from 'graphql-yoga';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp, type AppOverrides, type Upstream } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { KsPayClient } from '../src/kspay/client.js';
import { startSandbox } from '../src/sandbox/server.js';
import { connectBareUpstream, type BareUpstream } from './bare-upstream.js';
import { seed, type Fixture } from './cases.js';
import { createNaiveGateway } from './naive-gateway.js';

export type GatewayVariant = 'gateway' | 'gateway + graphql-jit' | 'gateway + response cache' | 'gateway, CATALOG_TTL_MS=1' | 'naive gateway';
export type Variant = GatewayVariant | 'bare upstream';

export interface Target {
  /** Base URL; GraphQL is at /graphql (the bare upstream: the sandbox's). */
  url: string;
  /** Requests whose handling has not finished, including those whose client has gone. */
  busy(): number;
  /** Calls its sandbox has received so far. */
  calls(): number;
  /** The seeded data on its sandbox. */
  fixture: Fixture;
}

export interface Stack {
  targets: Record<Variant, Target>;
  bare: BareUpstream;
  /** Added before every KS Pay answer, on every sandbox of the stack. */
  setLatency(latencyMs: number): void;
  close(): Promise<void>;
}

/** How long the response-cache experiment keeps a catalog answer: the catalog cache's own default TTL. */
const CATALOG_TTL_MS = 60_000;

/** Starts everything and seeds each sandbox with `transactions` initiated through its gateway. */
export async function startStack(transactions: number): Promise<Stack> {
  const sandbox = await startSandbox();
  const naiveSandbox = await startSandbox();
  const upstream: Upstream = { baseUrl: sandbox.url, credentials: sandbox.credentials };
  const closers: (() => Promise<void>)[] = [];

  async function gateway(env: Record<string, string>, overrides: AppOverrides = {}) {
    const app = createApp(loadConfig({ LOG_LEVEL: 'silent', ...env }), upstream, overrides);
    const served = await serve(app.gateway);
    closers.push(async () => {
      await served.close();
      await app.close();
    });
    return served;
  }

  const naiveClient = new KsPayClient({ baseUrl: naiveSandbox.url, ...naiveSandbox.credentials, timeoutMs: 10_000 });
  const naive = await serve(createNaiveGateway(naiveClient));
  closers.push(async () => {
    await naive.close();
    await naiveClient.close();
  });

  const appId = sandbox.credentials.appId;
  const served = {
    gateway: await gateway({}),
    // An envelop plugin: yoga runs it as is, only its context type is narrower than yoga's.
    'gateway + graphql-jit': await gateway({}, { plugins: [useGraphQlJit() as Plugin] }),
    'gateway + response cache': await gateway({}, {
      plugins: [
        useResponseCache({
          // Keyed by caller and KS Pay app: one client's answers are never served to another.
          session: (request) =>
            `${appId}:${request.headers.get('authorization') ?? request.headers.get('x-api-key') ?? 'anonymous'}`,
          // Nothing is cached unless it is catalog only: a Transaction anywhere in the
          // answer pins the TTL to 0 (the plugin takes the smallest TTL it meets).
          ttl: 0,
          ttlPerSchemaCoordinate: {
            Currency: CATALOG_TTL_MS,
            PaymentMethod: CATALOG_TTL_MS,
            Transaction: 0,
            TransactionConnection: 0,
            InitiateTransactionSuccess: 0,
          },
          includeExtensionMetadata: false,
        }),
      ],
    }),
    'gateway, CATALOG_TTL_MS=1': await gateway({ CATALOG_TTL_MS: '1' }),
  };

  const fixture = await seed(served.gateway.url, transactions);
  const naiveFixture = await seed(naive.url, transactions);
  const onMain = (target: { url: string; busy(): number }): Target => ({ ...target, calls: () => sandbox.calls.count(), fixture });
  const targets: Record<Variant, Target> = {
    gateway: onMain(served.gateway),
    'gateway + graphql-jit': onMain(served['gateway + graphql-jit']),
    'gateway + response cache': onMain(served['gateway + response cache']),
    'gateway, CATALOG_TTL_MS=1': onMain(served['gateway, CATALOG_TTL_MS=1']),
    'naive gateway': { ...naive, calls: () => naiveSandbox.calls.count(), fixture: naiveFixture },
    // The bare loop awaits its own operations: nothing is left running when it returns.
    'bare upstream': onMain({ url: sandbox.url, busy: () => 0 }),
  };

  return {
    targets,
    bare: await connectBareUpstream({ url: sandbox.url, credentials: sandbox.credentials }),
    setLatency(latencyMs) {
      sandbox.faults.set({ latencyMs });
      naiveSandbox.faults.set({ latencyMs });
    },
    async close() {
      for (const close of closers) await close();
      await sandbox.close();
      await naiveSandbox.close();
    },
  };
}

type Handler = (req: IncomingMessage, res: ServerResponse) => unknown;

/**
 * Serves a yoga instance on a free loopback port, counting the requests it is still
 * handling. autocannon abandons its requests in flight when time is up, but yoga runs
 * them to the end: the next slice must not start (or the upstream calls be counted)
 * before they are done.
 */
async function serve(handler: Handler): Promise<{ url: string; busy(): number; close(): Promise<void> }> {
  let busy = 0;
  const server = createServer((req, res) => {
    busy += 1;
    const done = () => void (busy -= 1);
    // yoga answers its own errors; a rejection here has nothing left to tell.
    Promise.resolve(handler(req, res)).then(done, done);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, busy: () => busy, close: () => closeServer(server) };
}

export function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
