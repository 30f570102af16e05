/**
 * One HTTP exchange with KS Pay: the breaker check, the request (node:http, ./node-exchange.ts) with a timeout, reading the
 * body (up to a size cap), and turning every way that can fail into a KsPayError. It
 * knows nothing of tokens or retries; the client composes those around `send`.
 */
import { validateHeaderName, validateHeaderValue } from 'node:http';
import { readCappedText, ResponseTooLarge } from './body.js';
import { NodeExchange, type Exchanged } from './node-exchange.js';
import type { CircuitBreaker } from './breaker.js';
import { badResponse, circuitOpen, clientClosed, errorFromFetchFailure, errorFromResponse, type KsPayError } from './kspay-error.js';
import { MalformedResponse } from './read.js';
import { parseRetryAfter } from './retry.js';
import type { KsPayEndpoint } from './types.js';

export interface HttpRequest {
  endpoint: KsPayEndpoint;
  method: 'GET' | 'POST';
  /** Starts with '/', path parameters already encoded (see `pathSegment`). */
  path: string;
  query?: Record<string, string | number | undefined>;
  headers?: Record<string, string>;
  body?: string;
}

export interface SendOptions {
  /** Which attempt of the caller's operation this is; reported to `onCall`. */
  attempt?: number;
  /** An epoch-ms time the answer must arrive by, when sooner than the timeout (a retry budget). */
  deadline?: number;
}

export type CallEvent = {
  endpoint: KsPayEndpoint;
  /** The HTTP status; 0 when no answer came. */
  status: number;
  /**
   * Why the exchange failed, low-cardinality (OpenTelemetry's `error.type`): the status code
   * for a 4xx or 5xx, 'timeout', 'connection_error', 'aborted' or 'response_too_large'; null when it did not.
   */
  errorType: string | null;
  durationMs: number;
  attempt: number;
  /** What `requestHeaders` gave this exchange (the same object), so a tracer can find its span. */
  requestHeaders?: Record<string, string>;
};

/** The exchange `requestHeaders` is asked about. */
export type CallStart = { endpoint: KsPayEndpoint; attempt: number };

export interface HttpTransportOptions {
  baseUrl: string;
  timeoutMs: number;
  /** The largest body read; a larger answer fails as 'bad-response' (KSPAY_MAX_RESPONSE_BYTES). */
  maxResponseBytes: number;
  breaker: CircuitBreaker;
  /** Scrubs secrets from the server's own error messages. */
  redact: (text: string) => string;
  onCall?: (event: CallEvent) => void;
  /** Extra headers for one exchange (a trace context), asked just before it is sent. */
  requestHeaders?: (call: CallStart) => Record<string, string>;
  /** A fetch to send each exchange through instead of node:http (tests may answer in process). */
  fetch?: typeof fetch;
  /** Told every answer that fails the call (non-2xx or unreadable), for logs: the server's text is only here. */
  onUpstreamError?: (error: KsPayError) => void;
}

/** A body we could not parse as JSON is kept as this marker: its text may hold anything. */
const NOT_JSON = Symbol('not JSON');

export class HttpTransport {
  readonly #options: HttpTransportOptions;
  readonly #baseUrl: string;
  /** Controllers of the exchanges in flight, so close() can abort them. */
  readonly #inFlight = new Set<AbortController>();
  readonly #node = new NodeExchange();
  #closed = false;

  constructor(options: HttpTransportOptions) {
    this.#options = options;
    this.#baseUrl = options.baseUrl.replace(/\/+$/, '');
  }

  /**
   * Sends the request and hands a 2xx body (parsed JSON, or undefined when empty) to
   * `read`. Throws KsPayError for everything else, including `read` rejecting the body.
   */
  async send<T>(request: HttpRequest, read: (body: unknown) => T, options: SendOptions = {}): Promise<T> {
    const { endpoint } = request;
    if (this.closed) throw clientClosed(endpoint);
    const timeLeftMs = options.deadline === undefined ? Infinity : options.deadline - Date.now();
    const timeoutMs = Math.max(1, Math.min(timeLeftMs, this.#options.timeoutMs));
    const answer = await this.#exchange(request, timeoutMs, options.attempt ?? 1);
    if (answer.status < 200 || answer.status >= 300) {
      throw this.#told(
        errorFromResponse({
          endpoint,
          httpStatus: answer.status,
          body: answer.body === NOT_JSON ? undefined : answer.body,
          retryAfterMs: parseRetryAfter(answer.retryAfter),
          redact: this.#options.redact,
        }),
      );
    }
    if (answer.body === NOT_JSON) throw this.#told(badResponse(endpoint, answer.status, 'the body is not JSON'));
    try {
      return read(answer.body);
    } catch (error) {
      if (error instanceof MalformedResponse) throw this.#told(badResponse(endpoint, answer.status, error.message));
      throw error;
    }
  }

  /** Aborts requests in flight and refuses new ones. */
  close(): void {
    this.#closed = true;
    for (const controller of this.#inFlight) controller.abort();
    this.#node.close();
  }

  get closed(): boolean {
    return this.#closed;
  }

  /**
   * The exchange itself, guarded by the breaker and told to the metrics hook. Rejects,
   * with a KsPayError, only when no complete answer arrived or it was over the size cap.
   */
  async #exchange(request: HttpRequest, timeoutMs: number, attempt: number) {
    const { endpoint } = request;
    // One controller and a plain timer per exchange. (Node 20's AbortSignal.any over
    // AbortSignal.timeout can lose the timer to garbage collection and never fire.)
    const controller = new AbortController();
    // Checked first: a malformed header or URL is the caller's bug, thrown as the TypeError it is.
    const url = new URL(this.#url(request));
    const headers: Record<string, string> = {
      accept: 'application/json',
      ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...request.headers,
    };
    checkHeaders(headers);
    const { breaker } = this.#options;
    const admission = breaker.tryAdmit();
    if (!admission) throw circuitOpen(endpoint);
    const requestHeaders = this.#extraHeaders({ endpoint, attempt });
    if (requestHeaders) Object.assign(headers, requestHeaders);
    const startedAt = performance.now();
    let status = 0;
    let failureType: string | null = null;
    const timer = setTimeout(() => controller.abort(new DOMException('timed out', 'TimeoutError')), timeoutMs);
    this.#inFlight.add(controller);
    try {
      const answer = await abortable(this.#send(url, request, headers, controller.signal), controller.signal);
      status = answer.status;
      if (status >= 500) breaker.recordFailure(admission);
      else breaker.recordSuccess(admission);
      return { status, body: parseJson(answer.text), retryAfter: answer.retryAfter };
    } catch (failure) {
      breaker.recordFailure(admission);
      failureType = failure instanceof ResponseTooLarge ? 'response_too_large' : fetchFailureType(failure);
      if (failure instanceof ResponseTooLarge && failure.status !== undefined) {
        // An answer came, but one we will not read: drop the connection rather than drain it.
        controller.abort();
        status = failure.status;
        throw this.#told(badResponse(endpoint, status, failure.message));
      }
      throw errorFromFetchFailure(endpoint, failure, timeoutMs);
    } finally {
      clearTimeout(timer);
      this.#inFlight.delete(controller);
      const errorType = failureType ?? (status >= 400 ? String(status) : null);
      this.#report({ endpoint, status, errorType, durationMs: performance.now() - startedAt, attempt, requestHeaders });
    }
  }

  /** Over node:http by default; through the given fetch when there is one (a test answering in process). */
  async #send(url: URL, { method, body }: HttpRequest, headers: Record<string, string>, signal: AbortSignal): Promise<Exchanged> {
    const { fetch: viaFetch, maxResponseBytes } = this.#options;
    if (!viaFetch) return this.#node.send({ url, method, headers, body, signal, maxResponseBytes });
    // The contract has no redirects; following one could carry credentials elsewhere.
    const response = await viaFetch(new Request(url, { method, headers, body, redirect: 'manual', signal }));
    const text = await readCappedText(response, maxResponseBytes).catch((error: unknown) => {
      throw error instanceof ResponseTooLarge ? new ResponseTooLarge(maxResponseBytes, response.status) : error;
    });
    return { status: response.status, text, retryAfter: response.headers.get('retry-after') };
  }

  #extraHeaders(call: CallStart): Record<string, string> | undefined {
    try {
      return this.#options.requestHeaders?.(call);
    } catch {
      // A tracing hook must never break a payment call either.
      return undefined;
    }
  }

  #url({ path, query = {} }: HttpRequest): string {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined) params.set(key, String(value));
    }
    const search = params.toString();
    return `${this.#baseUrl}${path}${search ? `?${search}` : ''}`;
  }

  /** Hands a failed answer's error to the log hook and returns it, for `throw`. */
  #told(error: KsPayError): KsPayError {
    try {
      this.#options.onUpstreamError?.(error);
    } catch {
      // A logging hook must never change how a call fails.
    }
    return error;
  }

  #report(event: CallEvent): void {
    try {
      this.#options.onCall?.(event);
    } catch {
      // A metrics hook must never break a payment call.
    }
  }
}

/**
 * Settles with `work`, or rejects with the abort reason as soon as `signal` aborts.
 * Node 20's fetch does not always reject on abort (seen with a request held open by
 * the server under load), and a payment call must never wait past its timeout.
 */
function abortable<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** What fetch's Request would refuse (a name or value that cannot go on the wire), refused as the same TypeError. */
function checkHeaders(headers: Record<string, string>): void {
  try {
    for (const [name, value] of Object.entries(headers)) {
      validateHeaderName(name);
      validateHeaderValue(name, value);
    }
  } catch (error) {
    throw new TypeError(error instanceof Error ? error.message : String(error));
  }
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return NOT_JSON;
  }
}

/**
 * One path parameter, percent-encoded. Empty and dot segments are refused: URL parsing
 * would collapse them into a different path, so no encoding can send them safely.
 */
export function pathSegment(value: string): string {
  const encoded = encodeURIComponent(value);
  if (encoded === '' || encoded === '.' || encoded === '..') {
    throw new TypeError(`Not a usable KS Pay id: ${JSON.stringify(value)}`);
  }
  return encoded;
}

/** A failed fetch's `error.type`: a fixed, small set of values. */
function fetchFailureType(failure: unknown): string {
  const name = (failure as { name?: unknown } | null)?.name;
  if (name === 'TimeoutError') return 'timeout';
  if (name === 'AbortError') return 'aborted';
  return 'connection_error';
}
