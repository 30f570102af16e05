/**
 * Everything one block of cases runs against, on 127.0.0.1 in this process: a sandbox,
 * the gateway in the variants compared (plain, with graphql-jit, with a response cache,
 * with a 1 ms catalog TTL), the naive gateway and the bare-upstream client, all on
 * that one sandbox.
 */
import { useGraphQlJit } from '@envelop/graphql-jit';
import { useResponseCache } from '@graphql-yoga/plugin-response-cache';
import type { Plugin } from 'graphql-yoga';
import type { Server } from 'node:http';
import { createApp, listen, type AppOverrides, type Upstream } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { KsPayClient } from '../src/kspay/client.js';
import { startSandbox, type Sandbox } from '../src/sandbox/server.js';
import { connectBareUpstream, type BareUpstream } from './bare-upstream.js';
import { startNaiveGateway } from './naive-gateway.js';

export type GatewayVariant = 'gateway' | 'gateway + graphql-jit' | 'gateway + response cache' | 'gateway, CATALOG_TTL_MS=1' | 'naive gateway';

export interface Stack {
  sandbox: Sandbox;
  /** Base URL of each GraphQL target. */
  urls: Record<GatewayVariant, string>;
  bare: BareUpstream;
  close(): Promise<void>;
}

/** How long the response-cache experiment keeps a catalog answer: the catalog cache's own default TTL. */
const CATALOG_TTL_MS = 60_000;

export async function startStack(): Promise<Stack> {
  const sandbox = await startSandbox();
  const upstream: Upstream = { baseUrl: sandbox.url, credentials: sandbox.credentials };
  const closers: (() => Promise<void>)[] = [];

  async function gateway(env: Record<string, string>, overrides: AppOverrides = {}): Promise<string> {
    const app = createApp(loadConfig({ LOG_LEVEL: 'silent', ...env }), upstream, overrides);
    const { server, url } = await listen(app, 0);
    closers.push(async () => {
      await closeServer(server);
      await app.close();
    });
    return url;
  }

  const naiveClient = new KsPayClient({ baseUrl: sandbox.url, ...sandbox.credentials, timeoutMs: 10_000 });
  const naive = await startNaiveGateway(naiveClient);
  closers.push(() => naive.close());

  const appId = sandbox.credentials.appId;
  const urls: Record<GatewayVariant, string> = {
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
    'naive gateway': naive.url,
  };

  return {
    sandbox,
    urls,
    bare: await connectBareUpstream({ url: sandbox.url, credentials: sandbox.credentials }),
    async close() {
      for (const close of closers) await close();
      await sandbox.close();
    },
  };
}

export function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
