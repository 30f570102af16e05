/**
 * One HTTP exchange with KS Pay: the breaker check, the request (node:http, ./node-exchange.ts) with a timeout, reading the
 * body (up to a size cap), and turning every way that can fail into a KsPayError. It
 * knows nothing of tokens or retries; the client composes those around `send`.
 */
import { validateHeaderName, validateHeaderValue } from 'node:http';
import { readCappedText, ResponseTooLarge } from './body.js';
import { NodeExchange } from './node-exchange.js';
import { badResponse, circuitOpen, clientClosed, errorFromFetchFailure, errorFromResponse } from './kspay-error.js';
import { MalformedResponse } from './read.js';
import { parseRetryAfter } from './retry.js';
/** A body we could not parse as JSON is kept as this marker: its text may hold anything. */
const NOT_JSON = Symbol('not JSON');
export class HttpTransport {
    #options;
    #baseUrl;
    /** Controllers of the exchanges in flight, so close() can abort them. */
    #inFlight = new Set();
    #node = new NodeExchange();
    #closed = false;
    constructor(options) {
        this.#options = options;
        this.#baseUrl = options.baseUrl.replace(/\/+$/, '');
    }
    /**
     * Sends the request and hands a 2xx body (parsed JSON, or undefined when empty) to
     * `read`. Throws KsPayError for everything else, including `read` rejecting the body.
     */
    async send(request, read, options = {}) {
        const { endpoint } = request;
        if (this.closed)
            throw clientClosed(endpoint);
        const timeLeftMs = options.deadline === undefined ? Infinity : options.deadline - Date.now();
        const timeoutMs = Math.max(1, Math.min(timeLeftMs, this.#options.timeoutMs));
        const answer = await this.#exchange(request, timeoutMs, options.attempt ?? 1);
        if (answer.status < 200 || answer.status >= 300) {
            throw this.#told(errorFromResponse({
                endpoint,
                httpStatus: answer.status,
                body: answer.body === NOT_JSON ? undefined : answer.body,
                retryAfterMs: parseRetryAfter(answer.retryAfter),
                redact: this.#options.redact,
            }));
        }
        if (answer.body === NOT_JSON)
            throw this.#told(badResponse(endpoint, answer.status, 'the body is not JSON'));
        try {
            return read(answer.body);
        }
        catch (error) {
            if (error instanceof MalformedResponse)
                throw this.#told(badResponse(endpoint, answer.status, error.message));
            throw error;
        }
    }
    /** Aborts requests in flight and refuses new ones. */
    close() {
        this.#closed = true;
        for (const controller of this.#inFlight)
            controller.abort();
        this.#node.close();
    }
    get closed() {
        return this.#closed;
    }
    /**
     * The exchange itself, guarded by the breaker and told to the metrics hook. Rejects,
     * with a KsPayError, only when no complete answer arrived or it was over the size cap.
     */
    async #exchange(request, timeoutMs, attempt) {
        const { endpoint } = request;
        // One controller and a plain timer per exchange. (Node 20's AbortSignal.any over
        // AbortSignal.timeout can lose the timer to garbage collection and never fire.)
        const controller = new AbortController();
        // Checked first: a malformed header or URL is the caller's bug, thrown as the TypeError it is.
        const url = new URL(this.#url(request));
        const headers = {
            accept: 'application/json',
            ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
            ...request.headers,
        };
        checkHeaders(headers);
        const { breaker } = this.#options;
        const admission = breaker.tryAdmit();
        if (!admission)
            throw circuitOpen(endpoint);
        const requestHeaders = this.#extraHeaders({ endpoint, attempt });
        if (requestHeaders)
            Object.assign(headers, requestHeaders);
        const startedAt = performance.now();
        let status = 0;
        let failureType = null;
        const timer = setTimeout(() => controller.abort(new DOMException('timed out', 'TimeoutError')), timeoutMs);
        this.#inFlight.add(controller);
        try {
            const answer = await abortable(this.#send(url, request, headers, controller.signal), controller.signal);
            status = answer.status;
            if (status >= 500)
                breaker.recordFailure(admission);
            else
                breaker.recordSuccess(admission);
            return { status, body: parseJson(answer.text), retryAfter: answer.retryAfter };
        }
        catch (failure) {
            breaker.recordFailure(admission);
            failureType = failure instanceof ResponseTooLarge ? 'response_too_large' : fetchFailureType(failure);
            if (failure instanceof ResponseTooLarge && failure.status !== undefined) {
                // An answer came, but one we will not read: drop the connection rather than drain it.
                controller.abort();
                status = failure.status;
                throw this.#told(badResponse(endpoint, status, failure.message));
            }
            throw errorFromFetchFailure(endpoint, failure, timeoutMs);
        }
        finally {
            clearTimeout(timer);
            this.#inFlight.delete(controller);
            const errorType = failureType ?? (status >= 400 ? String(status) : null);
            this.#report({ endpoint, status, errorType, durationMs: performance.now() - startedAt, attempt, requestHeaders });
        }
    }
    /** Over node:http by default; through the given fetch when there is one (a test answering in process). */
    async #send(url, { method, body }, headers, signal) {
        const { fetch: viaFetch, maxResponseBytes } = this.#options;
        if (!viaFetch)
            return this.#node.send({ url, method, headers, body, signal, maxResponseBytes });
        // The contract has no redirects; following one could carry credentials elsewhere.
        const response = await viaFetch(new Request(url, { method, headers, body, redirect: 'manual', signal }));
        const text = await readCappedText(response, maxResponseBytes).catch((error) => {
            throw error instanceof ResponseTooLarge ? new ResponseTooLarge(maxResponseBytes, response.status) : error;
        });
        return { status: response.status, text, retryAfter: response.headers.get('retry-after') };
    }
    #extraHeaders(call) {
        try {
            return this.#options.requestHeaders?.(call);
        }
        catch {
            // A tracing hook must never break a payment call either.
            return undefined;
        }
    }
    #url({ path, query = {} }) {
        const params = new URLSearchParams();
        for (const [key, value] of Object.entries(query)) {
            if (value !== undefined)
                params.set(key, String(value));
        }
        const search = params.toString();
        return `${this.#baseUrl}${path}${search ? `?${search}` : ''}`;
    }
    /** Hands a failed answer's error to the log hook and returns it, for `throw`. */
    #told(error) {
        try {
            this.#options.onUpstreamError?.(error);
        }
        catch {
            // A logging hook must never change how a call fails.
        }
        return error;
    }
    #report(event) {
        try {
            this.#options.onCall?.(event);
        }
        catch {
            // A metrics hook must never break a payment call.
        }
    }
}
/**
 * Settles with `work`, or rejects with the abort reason as soon as `signal` aborts.
 * Node 20's fetch does not always reject on abort (seen with a request held open by
 * the server under load), and a payment call must never wait past its timeout.
 */
function abortable(work, signal) {
    if (signal.aborted)
        return Promise.reject(signal.reason);
    return new Promise((resolve, reject) => {
        const onAbort = () => reject(signal.reason);
        signal.addEventListener('abort', onAbort, { once: true });
        work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
}
/** What fetch's Request would refuse (a name or value that cannot go on the wire), refused as the same TypeError. */
function checkHeaders(headers) {
    try {
        for (const [name, value] of Object.entries(headers)) {
            validateHeaderName(name);
            validateHeaderValue(name, value);
        }
    }
    catch (error) {
        throw new TypeError(error instanceof Error ? error.message : String(error));
    }
}
function parseJson(text) {
    if (text.trim() === '')
        return undefined;
    try {
        return JSON.parse(text);
    }
    catch {
        return NOT_JSON;
    }
}
/**
 * One path parameter, percent-encoded. Empty and dot segments are refused: URL parsing
 * would collapse them into a different path, so no encoding can send them safely.
 */
export function pathSegment(value) {
    const encoded = encodeURIComponent(value);
    if (encoded === '' || encoded === '.' || encoded === '..') {
        throw new TypeError(`Not a usable KS Pay id: ${JSON.stringify(value)}`);
    }
    return encoded;
}
/** A failed fetch's `error.type`: a fixed, small set of values. */
function fetchFailureType(failure) {
    const name = failure?.name;
    if (name === 'TimeoutError')
        return 'timeout';
    if (name === 'AbortError')
        return 'aborted';
    return 'connection_error';
}
