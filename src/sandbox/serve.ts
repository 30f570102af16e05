/**
 * One sandbox request, from socket to answer. A KS Pay API request is counted, meets
 * its fault (latency, an injected error, a huge body, a hang, a dropped connection),
 * has its body read, and is answered by the router. Control API and checkout requests
 * are never counted and never faulted.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { handleAdmin } from './admin.js';
import { checkoutAction, checkoutPage } from './checkout.js';
import type { CallCounts, Faults } from './faults.js';
import { readBody, sendCheckout, sendJson, sendOversizedJson, type Delays } from './http-io.js';
import { type Destination, INTERNAL_ERROR, type Reply, destinationOf, dispatch, errorReply, routeNotFound } from './router.js';
import type { SandboxStore } from './store.js';
import type { ShapeState } from './views.js';

export interface ServerState {
  store: SandboxStore;
  calls: CallCounts;
  faults: Faults;
  shapes: ShapeState;
  /** Aborted on close: pending latency ends at once. */
  /** Latency faults wait here; close() cancels them all at once (no abort listener per request). */
  delays: Delays;
  /** Base for checkout URLs, no trailing slash; set once the server listens. */
  publicUrl: string;
}

export function requestListener(state: ServerState): RequestListener {
  return (req, res) => {
    serve(req, res, state).catch(() => {
      if (res.headersSent) res.destroy();
      else send(res, INTERNAL_ERROR);
    });
  };
}

async function serve(req: IncomingMessage, res: ServerResponse, state: ServerState): Promise<void> {
  const destination = destinationOf(req.method, req.url);
  switch (destination.kind) {
    case 'admin':
      return serveAdmin(req, res, destination.path, state);
    case 'checkout':
      return serveCheckout(req, res, destination.txnId, state.store);
    case 'api':
      return serveApi(req, res, destination, state);
  }
}

type ApiDestination = Extract<Destination, { kind: 'api' }>;

async function serveApi(req: IncomingMessage, res: ServerResponse, { url, match }: ApiDestination, state: ServerState): Promise<void> {
  if (match) state.calls.record(match.endpoint);
  const decision = state.faults.decide(match?.endpoint ?? null);
  if (decision.kind === 'down') return void req.socket.destroy();
  if (decision.kind === 'hang') return; // left open until the client gives up or close()
  if (decision.latencyMs > 0 && !(await state.delays.wait(decision.latencyMs))) return;

  const rawBody = await readBody(req, res);
  if (rawBody === null) return;
  // Like many servers, the sandbox does no work for a client that has already gone: a request
  // given up on (a timeout) is never processed later, behind the client's back.
  if (req.socket.destroyed) return;
  const shapes = state.shapes.current();
  if (decision.kind === 'error') return send(res, errorReply(decision, shapes));
  if (decision.kind === 'oversized') return sendOversizedJson(res, decision);
  if (!match) return send(res, routeNotFound(shapes));

  const context = { store: state.store, shapes, publicUrl: state.publicUrl, misrecord: decision.misrecord };
  const reply = dispatch(match, { url, headers: req.headers, rawBody }, context);
  if (decision.dropAfterCommit) return void req.socket.destroy();
  send(res, reply);
}

async function serveAdmin(req: IncomingMessage, res: ServerResponse, path: string, state: ServerState): Promise<void> {
  const rawBody = await readBody(req, res);
  if (rawBody === null) return;
  let body: unknown;
  try {
    body = rawBody.trim() === '' ? undefined : JSON.parse(rawBody);
  } catch {
    return sendJson(res, 400, { error: 'The body is not JSON' });
  }
  const { calls, faults, shapes, store } = state;
  const expireAccessTokens = () => store.tokens.expireAllAccessTokens();
  send(res, handleAdmin(req.method ?? 'GET', path, body, { calls, faults, shapes, expireAccessTokens }));
}

async function serveCheckout(req: IncomingMessage, res: ServerResponse, txnId: string, store: SandboxStore): Promise<void> {
  if (req.method === 'GET') return sendCheckout(res, checkoutPage(store, txnId));
  if (req.method !== 'POST') return void res.writeHead(405, { allow: 'GET, POST' }).end();
  const rawBody = await readBody(req, res);
  if (rawBody === null) return;
  sendCheckout(res, checkoutAction(store, txnId, new URLSearchParams(rawBody)));
}

function send(res: ServerResponse, reply: Reply): void {
  sendJson(res, reply.status, reply.body, reply.headers);
}
