/**
 * The request id: read from the client's `x-request-id` or made here, and written on every
 * answer. The front door's first stage sets it on the response (`setRequestId`) before any
 * other stage runs, so every writer after it (yoga, a refusal, the cache, a 500) sends it.
 */
import { randomBytes } from 'node:crypto';
export const REQUEST_ID = 'x-request-id';
/**
 * Generated request ids: this process's random tag and a sequence number. Unique across
 * instances and restarts like a UUID, for a counter's cost on the warm path.
 */
const PROCESS_TAG = randomBytes(6).toString('hex');
let sequence = 0;
/** A well-formed `x-request-id` is kept (for tracing across services); anything else is replaced. */
export function requestIdOf(req) {
    const header = req.headers[REQUEST_ID];
    return typeof header === 'string' && /^[\w.:-]{1,64}$/.test(header) ? header : `${PROCESS_TAG}-${(++sequence).toString(36)}`;
}
/** Called once per request, by the front door's first stage. */
export function setRequestId(res, requestId) {
    res.setHeader(REQUEST_ID, requestId);
}
