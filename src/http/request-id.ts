/**
 * The request id: read from the client's `x-request-id` or made here, and written on every
 * answer. Every writer of the header takes its name from here; the answers written in one
 * go (a cache hit, a refusal, a 500) put it among their headers, the others set it on the
 * response before anything is written (`setRequestId`).
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

export const REQUEST_ID = 'x-request-id';

/**
 * Generated request ids: this process's random tag and a sequence number. Unique across
 * instances and restarts like a UUID, for a counter's cost on the warm path.
 */
const PROCESS_TAG = randomBytes(6).toString('hex');
let sequence = 0;

/** A well-formed `x-request-id` is kept (for tracing across services); anything else is replaced. */
export function requestIdOf(req: IncomingMessage): string {
  const header = req.headers[REQUEST_ID];
  return typeof header === 'string' && /^[\w.:-]{1,64}$/.test(header) ? header : `${PROCESS_TAG}-${(++sequence).toString(36)}`;
}

/** For answers whose headers are set one by one (yoga's, the health endpoints', a preflight). */
export function setRequestId(res: ServerResponse, requestId: string): void {
  res.setHeader(REQUEST_ID, requestId);
}

/** The id an answer in progress carries, for a failure found after it was set. */
export function requestIdSetOn(res: ServerResponse): string {
  return String(res.getHeader(REQUEST_ID));
}
