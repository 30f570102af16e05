export class KsPayError extends Error {
    name = 'KsPayError';
    /** 0 when no HTTP response arrived. */
    httpStatus;
    /** The KS Pay numeric code, when the body had one. */
    code;
    endpoint;
    reason;
    /** The request may have reached the server and done its work, but no answer came. */
    outcomeUnknown;
    /** From Retry-After on 429 and 503. */
    retryAfterMs;
    /**
     * The server's own `message`, secrets redacted and cut to UPSTREAM_MESSAGE_MAX_CHARS.
     * For logs only: never copy it into anything a client sees.
     */
    upstreamMessage;
    constructor(message, init) {
        super(message);
        this.endpoint = init.endpoint;
        this.reason = init.reason;
        this.httpStatus = init.httpStatus ?? 0;
        this.code = init.code ?? null;
        this.outcomeUnknown = init.outcomeUnknown ?? false;
        this.retryAfterMs = init.retryAfterMs ?? null;
        this.upstreamMessage = init.upstreamMessage ?? null;
    }
    /** `message` is not enumerable on errors; loggers that JSON-serialise should still see it. */
    toJSON() {
        const { name, message, endpoint, reason, httpStatus, code, outcomeUnknown, retryAfterMs, upstreamMessage } = this;
        return { name, message, endpoint, reason, httpStatus, code, outcomeUnknown, retryAfterMs, upstreamMessage };
    }
}
export function isKsPayError(e) {
    return e instanceof KsPayError;
}
/** A KS Pay answer outside 2xx. The body may be the error envelope, other JSON, or not JSON. */
export function errorFromResponse(answer) {
    const { endpoint, httpStatus, body, retryAfterMs } = answer;
    const envelope = typeof body === 'object' && body !== null ? body : {};
    const serverMessage = typeof envelope.message === 'string' ? envelope.message.trim() : '';
    const code = readCode(envelope.code);
    return new KsPayError(`KS Pay answered HTTP ${httpStatus}${code === null ? '' : ` with code ${code}`}`, {
        endpoint,
        reason: reasonForStatus(httpStatus),
        httpStatus,
        code,
        retryAfterMs: httpStatus === 429 || httpStatus === 503 ? retryAfterMs : null,
        // Redacted before it is cut, so a secret straddling the cut cannot survive in part.
        upstreamMessage: serverMessage ? truncate(answer.redact(serverMessage), UPSTREAM_MESSAGE_MAX_CHARS) : null,
    });
}
/** Enough for any real error message; a server that sends more is not read further in logs. */
export const UPSTREAM_MESSAGE_MAX_CHARS = 300;
function truncate(text, maxChars) {
    return text.length <= maxChars ? text : `${text.slice(0, maxChars - 1)}…`;
}
function reasonForStatus(status) {
    if (status === 429)
        return 'rate-limited';
    if (status >= 500)
        return 'server';
    if (status >= 400)
        return 'rejected';
    return 'bad-response'; // 1xx or 3xx: nothing in the contract answers this way
}
/** GraphQL's Int is 32-bit: a larger "code" is no KS Pay code and would break the field that shows it. */
const MAX_CODE = 2 ** 31 - 1;
function readCode(value) {
    let code = null;
    if (typeof value === 'number')
        code = value;
    else if (typeof value === 'string' && /^-?\d{1,10}$/.test(value.trim()))
        code = Number(value);
    return code !== null && Number.isInteger(code) && Math.abs(code) <= MAX_CODE ? code : null;
}
/** A 2xx answer whose body is not what the contract promises. */
export function badResponse(endpoint, httpStatus, problem) {
    return new KsPayError(`KS Pay sent an unreadable ${endpoint} response: ${problem}`, {
        endpoint,
        reason: 'bad-response',
        httpStatus,
    });
}
export function circuitOpen(endpoint) {
    return new KsPayError('KS Pay is failing; calls are paused for a moment (circuit open)', {
        endpoint,
        reason: 'circuit-open',
    });
}
/** Nothing was sent: the client was closed before the call. */
export function clientClosed(endpoint) {
    return new KsPayError('The KS Pay client is closed', { endpoint, reason: 'network' });
}
/**
 * Socket errors that prove the request never left this machine. Anything else (a reset,
 * a close mid-request, an unrecognised cause) might have happened after the server got
 * the request, so its outcome is unknown: for payments, the caller must check rather than assume.
 */
const NEVER_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);
/** A fetch rejection: a timeout, an abort, or a connection failure. The raw cause is not kept. */
export function errorFromFetchFailure(endpoint, failure, timeoutMs) {
    if (isNamed(failure, 'TimeoutError')) {
        return new KsPayError(`KS Pay did not answer within ${timeoutMs} ms`, {
            endpoint,
            reason: 'timeout',
            outcomeUnknown: true,
        });
    }
    if (isNamed(failure, 'AbortError')) {
        return new KsPayError('The KS Pay client was closed before an answer arrived', {
            endpoint,
            reason: 'network',
            outcomeUnknown: true,
        });
    }
    const code = socketErrorCode(failure);
    const neverSent = code !== null && NEVER_SENT.has(code);
    const message = neverSent ? `Could not connect to KS Pay (${code})` : `The connection to KS Pay failed before an answer arrived${code ? ` (${code})` : ''}`;
    return new KsPayError(message, { endpoint, reason: 'network', outcomeUnknown: !neverSent });
}
function isNamed(e, name) {
    return field(e, 'name') === name;
}
/** The socket error itself (node:http), or as `cause` (undici, a fetch); happy-eyeballs connects wrap it again in an AggregateError. */
function socketErrorCode(failure) {
    const cause = field(failure, 'cause') ?? failure;
    const errors = field(cause, 'errors');
    const code = field(cause, 'code') ?? (Array.isArray(errors) ? field(errors[0], 'code') : undefined);
    return typeof code === 'string' && /^[A-Z_]+$/.test(code) ? code : null;
}
function field(value, key) {
    return typeof value === 'object' && value !== null ? value[key] : undefined;
}
/** Replaces every occurrence of each secret by a marker, so a server that echoes one does not leak it. */
export function redactSecrets(text, secrets) {
    let redacted = text;
    for (const secret of secrets) {
        if (secret.length >= 4)
            redacted = redacted.split(secret).join('[redacted]');
    }
    return redacted;
}
