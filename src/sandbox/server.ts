/**
 * The built-in KS Pay sandbox: a real HTTP server on node:http that follows
 * docs/kspay-api.md. This file starts it (listening, sockets, close) and hands out
 * the Sandbox handle; serve.ts answers requests and router.ts knows the endpoints.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { CallCounts, Faults } from './faults.js';
import { DEMO_APP, FIXTURE_SEED } from './fixtures.js';
import { ISSUED_TOKENS_KEPT, TRACEPARENTS_KEPT, type Sandbox, transactionsView } from './handle.js';
import { Delays, listeningUrl } from './http-io.js';
import { RecentValues } from './recent.js';
import { type ServerState, requestListener } from './serve.js';
import { SandboxStore } from './store.js';
import { ShapeState } from './views.js';

export type { Sandbox } from './handle.js';

export interface SandboxOptions {
  /** Default 0: a random free port. */
  port?: number;
  /** Default '127.0.0.1'. */
  host?: string;
  /** Default 15 minutes. */
  accessTokenTtlMs?: number;
  /** Default 24 hours. */
  refreshTokenTtlMs?: number;
  /** Default 15 minutes. */
  signatureTtlMs?: number;
  /** Base for checkout URLs; default the listening URL. */
  publicUrl?: string;
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const issued = new RecentValues<string>(ISSUED_TOKENS_KEPT);
  const store = new SandboxStore(FIXTURE_SEED, {
    accessTokenTtlMs: options.accessTokenTtlMs ?? 15 * 60_000,
    refreshTokenTtlMs: options.refreshTokenTtlMs ?? 24 * 60 * 60_000,
    signatureTtlMs: options.signatureTtlMs ?? 15 * 60_000,
    onTokensIssued: (pair) => issued.push(pair.accessToken, pair.refreshToken),
  });
  const state: ServerState = {
    store,
    calls: new CallCounts(),
    faults: new Faults(),
    shapes: new ShapeState(),
    delays: new Delays(),
    publicUrl: '',
  };
  const traceparents = new RecentValues<string>(TRACEPARENTS_KEPT);
  const listener = requestListener(state);
  const server = createServer((req, res) => {
    const { traceparent } = req.headers;
    if (typeof traceparent === 'string') traceparents.push(traceparent);
    listener(req, res);
  });
  const sockets = openSockets(server);
  await listen(server, options.port ?? 0, options.host ?? '127.0.0.1');
  const url = listeningUrl(server.address() as AddressInfo);
  state.publicUrl = (options.publicUrl ?? url).replace(/\/+$/, '');

  return {
    url,
    credentials: { appId: DEMO_APP.id, accessKey: DEMO_APP.accessKey, secretKey: DEMO_APP.secretKey },
    calls: state.calls,
    faults: state.faults,
    shapes: state.shapes,
    tokens: { expireAll: () => store.tokens.expireAllAccessTokens(), issued: () => issued.values() },
    transactions: transactionsView(store),
    traceparents: () => traceparents.values(),
    close: closer(server, sockets, state.delays),
  };
}

/** Stops listening, ends pending latency and destroys every socket, hanging requests included; once. */
function closer(server: Server, sockets: Set<Socket>, delays: Delays): () => Promise<void> {
  let closed: Promise<void> | undefined;
  return () => {
    closed ??= new Promise<void>((resolve) => {
      delays.cancelAll();
      server.close(() => resolve());
      server.closeAllConnections();
      for (const socket of sockets) socket.destroy();
    });
    return closed;
  };
}

/** Every open socket, so close() can end hanging requests too. */
function openSockets(server: Server): Set<Socket> {
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  return sockets;
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
