/**
 * KsPayClient: the typed KS Pay REST API. One method per endpoint, one args object each,
 * normalised models out. Around every call: a timeout, the circuit breaker, a token
 * that is renewed (and the call replayed once) when the server refuses it; around
 * reads only: retries with backoff. Writes are never retried here: whether to repeat a
 * payment is for the gateway's idempotency layer to decide.
 */
import { createHmac } from 'node:crypto';
import { CircuitBreaker, breakerPolicy } from './breaker.js';
import { DEFAULT_MAX_RESPONSE_BYTES } from './body.js';
/** Tokens are renewed 30 s before they expire, and assumed to live 10 minutes (the contract does not say). */
export const DEFAULT_TOKEN_TIMING = { refreshMarginMs: 30_000, accessTokenLifetimeMs: 10 * 60_000 };
import { isKsPayError, redactSecrets } from './kspay-error.js';
import { HttpTransport, pathSegment } from './http.js';
import { readCurrencies, readInitiated, readPaymentMethods, readProcessed, readTransaction, readTransactionList } from './read.js';
import { retryPolicy, withRetry } from './retry.js';
import { HeldTokens, TokenManager } from './tokens.js';
/**
 * Reasons a read is retried for. Not 'bad-response': a server that sent an oversized or
 * malformed answer most likely sends it again, and each retry would cost another read
 * up to the size cap for nothing.
 */
const RETRYABLE = new Set(['server', 'rate-limited', 'network', 'timeout']);
export class KsPayClient {
    appId;
    #http;
    #tokens;
    #breaker;
    #retry;
    #signInitiate;
    #onTransactionsRead;
    constructor(options) {
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
    async currencies() {
        return this.#read({ endpoint: 'currencies', method: 'GET', path: '/currencies' }, readCurrencies);
    }
    async paymentMethods({ currencyId }) {
        const path = `/${pathSegment(currencyId)}/payment-methods`;
        return this.#read({ endpoint: 'paymentMethods', method: 'GET', path }, readPaymentMethods);
    }
    async transaction({ id }) {
        const path = `/transaction/txnId/${pathSegment(id)}`;
        const transaction = await this.#read({ endpoint: 'transaction', method: 'GET', path }, readTransaction);
        this.#onTransactionsRead?.([transaction]);
        return transaction;
    }
    async transactions({ page, limit, fromDate, toDate } = {}) {
        const query = { page, limit, fromDate, toDate };
        const list = await this.#read({ endpoint: 'transactions', method: 'GET', path: '/transaction', query }, readTransactionList);
        this.#onTransactionsRead?.(list.items);
        return list;
    }
    async initiateTransaction(args) {
        const body = initiateBody(args, this.appId);
        const request = { endpoint: 'initiate', method: 'POST', path: '/transaction/initiate', body };
        if (this.#signInitiate) {
            return this.#http.send({ ...request, headers: { 'x-signature': this.#signInitiate(body) } }, readInitiated);
        }
        return this.#authorized(request, readInitiated);
    }
    async processTransaction({ signature }) {
        const request = {
            endpoint: 'process',
            method: 'POST',
            path: '/transaction/process',
            headers: { 'x-signature': signature },
            body: '{}',
        };
        return this.#http.send(request, readProcessed);
    }
    breakerState() {
        return this.#breaker.state;
    }
    /** Aborts calls in flight and refuses new ones. Global fetch owns the sockets: no agent to release. */
    async close() {
        this.#http.close();
    }
    /** A GET, retried on failures that another attempt might not meet. */
    #read(request, read) {
        return withRetry(this.#retry, {
            // Only this endpoint's own failures: a failed login or refresh is a POST, never retried.
            isRetryable: (error) => isKsPayError(error) && error.endpoint === request.endpoint && RETRYABLE.has(error.reason) && !this.#http.closed,
            requestedDelayMs: (error) => (isKsPayError(error) ? error.retryAfterMs : null),
        }, (attempt, deadline) => this.#authorized(request, read, { attempt, deadline }));
    }
    /**
     * Sends with the bearer token; if the server refuses the token, gets a new one and
     * sends once more. A refused token means the server did nothing, so the replay is
     * safe even for a payment.
     */
    async #authorized(request, read, options) {
        const token = await this.#tokens.accessToken();
        try {
            return await this.#http.send(withBearer(request, token), read, options);
        }
        catch (error) {
            if (!isTokenRefused(error))
                throw error;
            const replacement = await this.#tokens.replacementFor(token);
            return this.#http.send(withBearer(request, replacement), read, options);
        }
    }
}
/**
 * Initiate's JSON body. KS Pay wants `amount` as a JSON number: it is written from the
 * Decimal's canonical text (already a valid JSON number literal), so no float touches it.
 */
function initiateBody(args, appId) {
    const { currencyId, paymentMethodId, amount, referenceNumber, redirectUrl } = args;
    const str = JSON.stringify;
    return (`{"currencyId":${str(currencyId)},"paymentMethodId":${str(paymentMethodId)},"amount":${amount.text},` +
        `"referenceNumber":${str(referenceNumber)},"appId":${str(appId)},"redirectUrl":${str(redirectUrl)}}`);
}
function withBearer(request, token) {
    return { ...request, headers: { ...request.headers, authorization: `Bearer ${token}` } };
}
/** 401 (9009 expired, or any other refusal of the token) or 9000 "token missing or incorrect". */
function isTokenRefused(error) {
    return isKsPayError(error) && (error.httpStatus === 401 || error.code === 9000);
}
