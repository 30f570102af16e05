/**
 * The built-in KS Pay sandbox: a real HTTP server on node:http that follows
 * docs/kspay-api.md. This file routes requests, counts calls, applies faults,
 * renders the envelope and closes promptly; endpoint handlers live beside it.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { KsPayEndpoint } from '../kspay/types.js';
import { ADMIN_PREFIX, handleAdmin } from './admin.js';
import { ApiError, type ApiContext, type Handler } from './api.js';
import { generateToken, refreshToken } from './auth.js';
import { currencies, paymentMethods } from './catalog.js';
import { checkoutAction, checkoutPage } from './checkout.js';
import { CallCounts, type CallCounter, type FaultController, Faults } from './faults.js';
import { DEMO_APP, FIXTURE_SEED } from './fixtures.js';
import { decodeSegment, Delays, listeningUrl, parseBody, readBody, sendCheckout, sendJson, sendOversizedJson } from './http-io.js';
import { SandboxStore } from './store.js';
import { initiate, processTransaction, transaction, transactions } from './transactions.js';
import { type ShapeController, ShapeState, errorBody, successBody } from './views.js';

export type { CallCounter, FaultController, FaultSettings } from './faults.js';
export type { ShapeController, ShapeSettings } from './views.js';
export type { SandboxStore, StoredTransaction } from './store.js';

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

export interface Sandbox {
  /** e.g. 'http://127.0.0.1:PORT', no trailing slash. */
  url: string;
  /** The demo app's credentials. */
  credentials: { appId: string; accessKey: string; secretKey: string };
  calls: CallCounter;
  faults: FaultController;
  shapes: ShapeController;
  /** expireAll: every issued access token expires now; issued: every token ever issued. */
  tokens: { expireAll(): void; issued(): readonly string[] };
  /** Read access for assertions. */
  store: SandboxStore;
  /** Stops listening and destroys keep-alive sockets and hanging requests. */
  close(): Promise<void>;
}

interface Route {
  method: 'GET' | 'POST';
  pattern: RegExp;
  paramNames: string[];
  endpoint: KsPayEndpoint;
  handler: Handler;
}

function route(method: Route['method'], template: string, endpoint: KsPayEndpoint, handler: Handler): Route {
  const paramNames: string[] = [];
  const source = template.replace(/:(\w+)/g, (_match, name: string) => {
    paramNames.push(name);
    return '([^/]+)';
  });
  return { method, pattern: new RegExp(`^${source}$`), paramNames, endpoint, handler };
}

const ROUTES: readonly Route[] = [
  route('POST', '/auth/generate-token/:appId', 'generateToken', generateToken),
  route('POST', '/auth/refresh-token', 'refreshToken', refreshToken),
  route('GET', '/currencies', 'currencies', currencies),
  route('POST', '/transaction/initiate', 'initiate', initiate),
  route('POST', '/transaction/process', 'process', processTransaction),
  route('GET', '/transaction/txnId/:txnId', 'transaction', transaction),
  route('GET', '/transaction', 'transactions', transactions),
  route('GET', '/:currencyId/payment-methods', 'paymentMethods', paymentMethods),
];

function matchRoute(method: string | undefined, path: string) {
  for (const candidate of ROUTES) {
    const match = candidate.method === method ? candidate.pattern.exec(path) : null;
    if (!match) continue;
    const params = Object.fromEntries(candidate.paramNames.map((name, i) => [name, decodeSegment(match[i + 1])]));
    return { route: candidate, params };
  }
  return null;
}

type RouteMatch = NonNullable<ReturnType<typeof matchRoute>>;

interface Received {
  url: URL;
  headers: IncomingMessage['headers'];
  rawBody: string;
}

/** Runs the endpoint's handler and renders its result or error in the current shapes. */
function runHandler(match: RouteMatch, received: Received, context: ApiContext): { status: number; body: unknown } {
  const { shapes } = context;
  try {
    const body = parseBody(received.rawBody, received.headers['content-type'] ?? '');
    const { url, headers, rawBody } = received;
    const request = { params: match.params, query: url.searchParams, headers, body, rawBody };
    const { status, result } = match.route.handler(request, context);
    return { status, body: successBody(status, result, shapes) };
  } catch (error) {
    // Anything but a documented error is a sandbox bug: answer 26 and never echo internals.
    const known = error instanceof ApiError ? error : new ApiError(500, 26, 'Something went wrong');
    return { status: known.status, body: errorBody(known.status, known.code, known.message, shapes) };
  }
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const store = new SandboxStore(FIXTURE_SEED, {
    accessTokenTtlMs: options.accessTokenTtlMs ?? 15 * 60_000,
    refreshTokenTtlMs: options.refreshTokenTtlMs ?? 24 * 60 * 60_000,
    signatureTtlMs: options.signatureTtlMs ?? 15 * 60_000,
  });
  const calls = new CallCounts();
  const faults = new Faults();
  const shapes = new ShapeState();
  const delays = new Delays();
  const sockets = new Set<Socket>();
  let publicUrl = '';

  async function serveApi(req: IncomingMessage, res: ServerResponse, url: URL, path: string): Promise<void> {
    const match = matchRoute(req.method, path);
    if (match) calls.record(match.route.endpoint);
    const decision = faults.decide(match?.route.endpoint ?? null);
    if (decision.kind === 'down') return void req.socket.destroy();
    if (decision.kind === 'hang') return; // left open until the client gives up or close()
    if (decision.latencyMs > 0 && !(await delays.wait(decision.latencyMs))) return;

    const rawBody = await readBody(req, res);
    if (rawBody === null) return;
    const current = shapes.current();
    if (decision.kind === 'error') {
      const body = errorBody(decision.status, decision.code, decision.message, current);
      return sendJson(res, decision.status, body, decision.headers);
    }
    if (decision.kind === 'oversized') return sendOversizedJson(res, decision);
    if (!match) return sendJson(res, 404, errorBody(404, 25, 'Route not found', current));

    const reply = runHandler(match, { url, headers: req.headers, rawBody }, { store, shapes: current, publicUrl });
    if (decision.dropAfterCommit) return void req.socket.destroy();
    sendJson(res, reply.status, reply.body);
  }

  async function serveAdmin(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const rawBody = await readBody(req, res);
    if (rawBody === null) return;
    let body: unknown;
    try {
      body = rawBody.trim() === '' ? undefined : JSON.parse(rawBody);
    } catch {
      return sendJson(res, 400, { error: 'The body is not JSON' });
    }
    const expireAccessTokens = () => store.tokens.expireAllAccessTokens();
    const reply = handleAdmin(req.method ?? 'GET', path, body, { calls, faults, shapes, expireAccessTokens });
    sendJson(res, reply.status, reply.body);
  }

  async function serveCheckout(req: IncomingMessage, res: ServerResponse, txnId: string): Promise<void> {
    if (req.method === 'GET') return sendCheckout(res, checkoutPage(store, txnId));
    if (req.method !== 'POST') return void res.writeHead(405, { allow: 'GET, POST' }).end();
    const rawBody = await readBody(req, res);
    if (rawBody === null) return;
    sendCheckout(res, checkoutAction(store, txnId, new URLSearchParams(rawBody)));
  }

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
    const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : url.pathname;
    if (path.startsWith(ADMIN_PREFIX)) return serveAdmin(req, res, path);
    const checkout = /^\/checkout\/([^/]+)$/.exec(path);
    if (checkout) return serveCheckout(req, res, decodeSegment(checkout[1]));
    return serveApi(req, res, url, path);
  }

  const server = createServer((req, res) => {
    serve(req, res).catch(() => {
      if (res.headersSent) res.destroy();
      else sendJson(res, 500, { status: 500, message: 'Something went wrong', code: 26 });
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const url = listeningUrl(server.address() as AddressInfo);
  publicUrl = (options.publicUrl ?? url).replace(/\/+$/, '');

  let closed: Promise<void> | undefined;
  const close = () => {
    closed ??= new Promise<void>((resolve) => {
      delays.cancelAll();
      server.close(() => resolve());
      server.closeAllConnections();
      for (const socket of sockets) socket.destroy();
    });
    return closed;
  };

  return {
    url,
    credentials: { appId: DEMO_APP.id, accessKey: DEMO_APP.accessKey, secretKey: DEMO_APP.secretKey },
    calls,
    faults,
    shapes,
    tokens: { expireAll: () => store.tokens.expireAllAccessTokens(), issued: () => store.tokens.issued() },
    store,
    close,
  };
}
