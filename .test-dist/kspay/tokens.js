/**
 * The access/refresh token lifecycle. Logs in lazily, refreshes shortly before the
 * access token is due to expire or when the server says it has, and logs in again when
 * the refresh token is refused. However many requests need a token at once, exactly one
 * login or refresh is in flight: they all wait on the same promise.
 */
import { isKsPayError } from './kspay-error.js';
import { pathSegment } from './http.js';
import { readTokens } from './read.js';
/**
 * The sessions held now and just before. The manager writes them; redaction of the
 * server's messages reads them, so they exist before the transport the manager needs.
 */
export class HeldTokens {
    #current = null;
    /** The session before the current one, kept only so its tokens can be redacted. */
    #previous = null;
    get current() {
        return this.#current;
    }
    replace(fresh) {
        this.#previous = this.#current;
        this.#current = fresh;
    }
    /** Every token held now or just before, for scrubbing from anything we show. */
    *tokens() {
        for (const session of [this.#current, this.#previous]) {
            if (session)
                yield* [session.accessToken, session.refreshToken];
        }
    }
}
export class TokenManager {
    #http;
    #held;
    #options;
    /** The one login or refresh in flight, if any. */
    #renewal = null;
    constructor(http, held, options) {
        this.#http = http;
        this.#held = held;
        this.#options = options;
    }
    /** A token to send now: the current one, or a fresh one if it is about to expire. */
    accessToken() {
        if (this.#renewal !== null)
            return this.#renewal;
        const session = this.#held.current;
        if (session && Date.now() < session.expiresAt - this.#options.refreshMarginMs) {
            return Promise.resolve(session.accessToken);
        }
        return this.#renew();
    }
    /**
     * A token to replace `rejected`, which the server refused as expired. Requests that
     * were refused together share one refresh; a request refused after it already
     * happened just gets the new token.
     */
    replacementFor(rejected) {
        if (this.#renewal !== null)
            return this.#renewal;
        const session = this.#held.current;
        if (session && session.accessToken !== rejected)
            return Promise.resolve(session.accessToken);
        return this.#renew();
    }
    /** Starts the one renewal; callers only get here when none is in flight. */
    #renew() {
        const session = this.#held.current;
        this.#renewal = (session ? this.#refresh(session) : this.#logIn())
            .then((fresh) => {
            this.#held.replace(fresh);
            return fresh.accessToken;
        })
            .finally(() => {
            // Whichever way it ended, the next caller that needs a token starts afresh.
            this.#renewal = null;
        });
        return this.#renewal;
    }
    async #refresh(session) {
        try {
            return await this.#requestTokens('refreshToken', '/auth/refresh-token', { authorization: session.refreshToken });
        }
        catch (error) {
            // Refused (9008 expired, or any other 4xx): the refresh token is no good, so log in afresh.
            if (isKsPayError(error) && error.reason === 'rejected')
                return this.#logIn();
            throw error;
        }
    }
    #logIn() {
        return this.#requestTokens('generateToken', `/auth/generate-token/${pathSegment(this.#options.appId)}`, {});
    }
    async #requestTokens(endpoint, path, headers) {
        const { accessKey, secretKey, accessTokenLifetimeMs } = this.#options;
        const credentials = { accessKey, secretKey };
        const requestedAt = Date.now();
        const body = JSON.stringify(credentials);
        const tokens = await this.#http.send({ endpoint, method: 'POST', path, headers, body }, readTokens);
        return {
            accessToken: tokens.accessToken,
            refreshToken: tokens.refreshToken,
            // Counted from before the request, so the estimate errs early.
            expiresAt: requestedAt + (tokens.expiresInMs ?? accessTokenLifetimeMs),
        };
    }
}
