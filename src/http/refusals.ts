/**
 * How the front door refuses a request: a fixed table of reasons, each with its status,
 * code and message, and one `refuse` that answers, logs and counts with those fixed labels
 * only — never with client input — and never reads a body it refused past the limit.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import { errorBody, statusOf, type ClientErrorCode } from '../errors/registry.js';

/** Why a request was refused: the only values the refusal metric and log line carry. */
export type RefusalReason = 'not-found' | 'method' | 'length-required' | 'too-large' | 'content-type' | 'empty-body' | 'body-on-get' | 'unauthenticated';

interface RefusalAnswer {
  status: number;
  code: ClientErrorCode;
  message: string;
  headers?: Record<string, string>;
}

export interface Refusals {
  refuse(req: IncomingMessage, res: ServerResponse, requestId: string, reason: RefusalReason, message?: string): void;
  /** The body's declared size when it is framed by a Content-Length within the limit; else null. */
  declaredLength(req: IncomingMessage): number | null;
}

const JSON_TYPES = new Set(['application/json', 'application/graphql-response+json']);

export function createRefusals({
  maxBodyBytes,
  graphqlPath,
  metrics,
  logger,
}: {
  maxBodyBytes: number;
  graphqlPath: string;
  metrics: Metrics;
  logger: Logger;
}): Refusals {
  const answers: Record<RefusalReason, RefusalAnswer> = {
    'not-found': { status: 404, code: 'NOT_FOUND', message: `Nothing here; GraphQL is served at ${graphqlPath}` },
    method: { status: 405, code: 'BAD_REQUEST', message: 'Use GET or POST', headers: { allow: 'GET, POST, OPTIONS' } },
    'length-required': { status: 411, code: 'BAD_REQUEST', message: 'POST requests must send a Content-Length (no chunked bodies)' },
    'too-large': { status: 413, code: 'BAD_REQUEST', message: `The request body exceeds ${maxBodyBytes} bytes` },
    'content-type': { status: 415, code: 'BAD_REQUEST', message: 'POST requests must have Content-Type: application/json' },
    'empty-body': { status: 400, code: 'BAD_REQUEST', message: 'A POST request must carry a JSON body with the operation' },
    'body-on-get': { status: 400, code: 'BAD_REQUEST', message: 'A GET request carries no body' },
    unauthenticated: { status: 401, code: 'UNAUTHENTICATED', message: '', headers: { 'www-authenticate': 'Bearer' } },
  };

  function declaredLength(req: IncomingMessage): number | null {
    const { 'content-length': length, 'transfer-encoding': chunked } = req.headers;
    if (chunked) return null;
    if (length === undefined) return 0;
    const bytes = /^\d{1,15}$/.test(length) ? Number(length) : Infinity;
    return bytes <= maxBodyBytes ? bytes : null;
  }

  function refuse(req: IncomingMessage, res: ServerResponse, requestId: string, reason: RefusalReason, message?: string): void {
    const { code, headers } = answers[reason];
    const status = statusOf(code, answers[reason].status);
    metrics.refusals.inc({ reason });
    logger.info({ requestId, status, reason }, 'request refused');
    const body = errorBody(code, message ?? answers[reason].message);
    // A body within the limit is drained by node (bounded, and the client reads its answer
    // cleanly); a longer or unframed one is not read at all: the connection is closed instead.
    if (declaredLength(req) === null) res.shouldKeepAlive = false;
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), ...headers }).end(body);
  }

  return { refuse, declaredLength };
}

/**
 * What is wrong with the framing of a GraphQL request, or null: a GET carries no body; a
 * POST is JSON with a Content-Length within the limit (`bytes` is null past it), and not
 * empty (there is no operation in nothing, and yoga gets only a body already read). JSON-only
 * POSTs are also what makes CSRF impossible: a cross-site form cannot send one unpreflighted.
 */
export function framingRefusal(req: IncomingMessage, bytes: number | null): RefusalReason | null {
  const { headers, method } = req;
  if (method === 'GET') return bytes === 0 ? null : 'body-on-get';
  if (headers['transfer-encoding'] || headers['content-length'] === undefined) return 'length-required';
  if (bytes === null) return 'too-large';
  const type = headers['content-type']?.split(';', 1)[0]!.trim().toLowerCase();
  if (!type || !JSON_TYPES.has(type)) return 'content-type';
  return bytes === 0 ? 'empty-body' : null;
}
