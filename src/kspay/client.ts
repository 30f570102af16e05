/**
 * KsPayClient: the typed KS Pay REST API. One method per endpoint, one args object each,
 * normalised models out. Around every call: a timeout, the circuit breaker, a token
 * that is renewed (and the call replayed once) when the server refuses it; around
 * reads only: retries with backoff. Writes are never retried here: whether to repeat a
 * payment is for the gateway's idempotency layer to decide.
 */
import { createHmac } from 'node:crypto';
import { CircuitBreaker, breakerPolicy, type BreakerPolicy, type BreakerState } from './breaker.js';
import { DEFAULT_MAX_RESPONSE_BYTES } from './body.js';

/** Tokens are renewed 30 s before they expire, and assumed to live 10 minutes (the contract does not say). */
export const DEFAULT_TOKEN_TIMING = { refreshMarginMs: 30_000, accessTokenLifetimeMs: 10 * 60_000 };
import { isKsPayError, redactSecrets, type KsPayError, type KsPayErrorReason } from './kspay-error.js';
import { HttpTransport, pathSegment, type CallEvent, type CallStart, type HttpRequest, type SendOptions } from './http.js';
import type {
  Currency,
  InitiatedTransaction,
  InitiateTransactionArgs,
  PaymentMethod,
  ProcessedTransaction,
  Transaction,
  TransactionList,
  TransactionListArgs,
} from './models.js';
import { readCurrencies, readInitiated, readPaymentMethods, readProcessed, readTransaction, readTransactionList } from './read.js';
import { retryPolicy, withRetry, type RetryPolicy } from './retry.js';
import { HeldTokens, TokenManager } from './tokens.js';

export interface KsPayClientOptions {
  baseUrl: string;
  appId: string;
  accessKey: string;
  secretKey: string;
  /** Per request (KSPAY_TIMEOUT_MS). */
  timeoutMs: number;
  /** The largest response body read (KSPAY_MAX_RESPONSE_BYTES); default 4 MiB. */
  maxResponseBytes?: number;
  /** Applies to reads only. */
  retry?: Partial<RetryPolicy>;
  /** A fetch to send every call through; by default node:http with keep-alive (a service test may answer in process). */
  fetch?: typeof fetch;
  breaker?: Partial<BreakerPolicy>;
  /**
   * How initiate proves who is calling: the bearer token (default), or, as in the
   * documentation's server-to-server sample, `x-signature` = hex HMAC-SHA256(secretKey, raw body).
   */
  initiateAuth?: 'bearer' | 'signature';
  /** Refresh this long before the access token's expiry (default 30 s). */
  refreshMarginMs?: number;
  /** Assumed access token lifetime, since the contract does not say (default 10 min). */
  accessTokenLifetimeMs?: number;
  /** Metrics hook, once per HTTP exchange; status 0 = no response. */
  onCall?: (event: CallEvent) => void;
  /** Extra headers per HTTP exchange (a W3C trace context); handed back in its `CallEvent`. */
  requestHeaders?: (call: CallStart) => Record<string, string>;
  /**
   * Log hook, once per answer that fails a call (non-2xx or unreadable). The server's
   * own text is only in `error.upstreamMessage`: log it, never show it to a client.
   */
  onUpstreamError?: (error: KsPayError) => void;
  /** Told of every transaction a read brought (one lookup or a page of the list): the gateway keeps the settled ones. */
  onTransactionsRead?: (transactions: readonly Transaction[]) => void;
}

/**
 * Reasons a read is retried for. Not 'bad-response': a server that sent an oversized or
 * malformed answer most likely sends it again, and each retry would cost another read
 * up to the size cap for nothing.
 */
const RETRYABLE = new Set<KsPayErrorReason>(['server', 'rate-limited', 'network', 'timeout']);

export class KsPayClient {
  readonly appId: string;
  readonly #http: HttpTransport;
  readonly #tokens: TokenManager;
  readonly #breaker: CircuitBreaker;
  readonly #retry: RetryPolicy;
  readonly #signInitiate: ((body: string) => string) | null;
  readonly #onTransactionsRead: KsPayClientOptions['onTransactionsRead'];

  constructor(options: KsPayClientOptions) {
    const { appId, accessKey, secretKey, timeoutMs } = options;
    this.appId = appId;
    this.#breaker = new CircuitBreaker(breakerPolicy(options.breaker));
    const held = new HeldTokens();
    this.#http = new HttpTransport({
      baseUrl: options.baseUrl,
      timeoutMs,
      maxResponseBytes: options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
      breaker: this.#breaker,
      onCall: options.onCall,
      requestHeaders: options.requestHeaders,
      onUpstreamError: options.onUpstreamError,
      fetch: options.fetch,
      redact: (text) => redactSecrets(text, [secretKey, accessKey, ...held.tokens()]),
    });
    this.#tokens = new TokenManager(this.#http, held, {
      appId,
      accessKey,
      secretKey,
      refreshMarginMs: options.refreshMarginMs ?? DEFAULT_TOKEN_TIMING.refreshMarginMs,
      accessTokenLifetimeMs: options.accessTokenLifetimeMs ?? DEFAULT_TOKEN_TIMING.accessTokenLifetimeMs,
    });
    this.#retry = retryPolicy(options.retry, timeoutMs);
    this.#onTransactionsRead = options.onTransactionsRead;
    this.#signInitiate = options.initiateAuth === 'signature' ? (body) => createHmac('sha256', secretKey).update(body).digest('hex') : null;
  }

  async currencies(): Promise<Currency[]> {
    return this.#read({ endpoint: 'currencies', method: 'GET', path: '/currencies' }, readCurrencies);
  }

  async paymentMethods({ currencyId }: { currencyId: string }): Promise<PaymentMethod[]> {
    const path = `/${pathSegment(currencyId)}/payment-methods`;
    return this.#read({ endpoint: 'paymentMethods', method: 'GET', path }, readPaymentMethods);
  }

  async transaction({ id }: { id: string }): Promise<Transaction> {
    const path = `/transaction/txnId/${pathSegment(id)}`;
    const transaction = await this.#read({ endpoint: 'transaction', method: 'GET', path }, readTransaction);
    this.#onTransactionsRead?.([transaction]);
    return transaction;
  }

  async transactions({ page, limit, fromDate, toDate }: TransactionListArgs = {}): Promise<TransactionList> {
    const query = { page, limit, fromDate, toDate };
    const list = await this.#read({ endpoint: 'transactions', method: 'GET', path: '/transaction', query }, readTransactionList);
    this.#onTransactionsRead?.(list.items);
    return list;
  }

  async initiateTransaction(args: InitiateTransactionArgs): Promise<InitiatedTransaction> {
    const body = initiateBody(args, this.appId);
    const request: HttpRequest = { endpoint: 'initiate', method: 'POST', path: '/transaction/initiate', body };
    if (this.#signInitiate) {
      return this.#http.send({ ...request, headers: { 'x-signature': this.#signInitiate(body) } }, readInitiated);
    }
    return this.#authorized(request, readInitiated);
  }

  async processTransaction({ signature }: { signature: string }): Promise<ProcessedTransaction> {
    const request: HttpRequest = {
      endpoint: 'process',
      method: 'POST',
      path: '/transaction/process',
      headers: { 'x-signature': signature },
      body: '{}',
    };
    return this.#http.send(request, readProcessed);
  }

  breakerState(): BreakerState {
    return this.#breaker.state;
  }

  /** Aborts calls in flight and refuses new ones. Global fetch owns the sockets: no agent to release. */
  async close(): Promise<void> {
    this.#http.close();
  }

  /** A GET, retried on failures that another attempt might not meet. */
  #read<T>(request: HttpRequest, read: (body: unknown) => T): Promise<T> {
    return withRetry(
      this.#retry,
      {
        // Only this endpoint's own failures: a failed login or refresh is a POST, never retried.
        isRetryable: (error) => isKsPayError(error) && error.endpoint === request.endpoint && RETRYABLE.has(error.reason) && !this.#http.closed,
        requestedDelayMs: (error) => (isKsPayError(error) ? error.retryAfterMs : null),
      },
      (attempt, deadline) => this.#authorized(request, read, { attempt, deadline }),
    );
  }

  /**
   * Sends with the bearer token; if the server refuses the token, gets a new one and
   * sends once more. A refused token means the server did nothing, so the replay is
   * safe even for a payment.
   */
  async #authorized<T>(request: HttpRequest, read: (body: unknown) => T, options?: SendOptions): Promise<T> {
    const token = await this.#tokens.accessToken();
    try {
      return await this.#http.send(withBearer(request, token), read, options);
    } catch (error) {
      if (!isTokenRefused(error)) throw error;
      const replacement = await this.#tokens.replacementFor(token);
      return this.#http.send(withBearer(request, replacement), read, options);
    }
  }
}

/**
 * Initiate's JSON body. KS Pay wants `amount` as a JSON number: it is written from the
 * Decimal's canonical text (already a valid JSON number literal), so no float touches it.
 */
function initiateBody(args: InitiateTransactionArgs, appId: string): string {
  const { currencyId, paymentMethodId, amount, referenceNumber, redirectUrl } = args;
  const str = JSON.stringify;
  return (
    `{"currencyId":${str(currencyId)},"paymentMethodId":${str(paymentMethodId)},"amount":${amount.text},` +
    `"referenceNumber":${str(referenceNumber)},"appId":${str(appId)},"redirectUrl":${str(redirectUrl)}}`
  );
}

function withBearer(request: HttpRequest, token: string): HttpRequest {
  return { ...request, headers: { ...request.headers, authorization: `Bearer ${token}` } };
}

/** 401 (9009 expired, or any other refusal of the token) or 9000 "token missing or incorrect". */
function isTokenRefused(error: unknown): boolean {
  return isKsPayError(error) && (error.httpStatus === 401 || error.code === 9000);
}
