/**
 * Opaque credentials the sandbox hands out: access/refresh token pairs and the
 * transaction signatures that `process` accepts. Nothing here is ever logged.
 * Expired ones are dropped as they age out (see expiring.ts), so a long run keeps
 * only what is live or recently expired.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { ExpiringRecords } from './expiring.js';
/** An expired token still answers "expired" (9009: the client refreshes) this long, then "unknown" (9000). */
export const EXPIRED_TOKENS_KEPT_MS = 60 * 60_000;
/** Most tokens of each kind, and signatures, kept at once; past it the oldest goes first. */
export const MAX_KEPT_CREDENTIALS = 100_000;
export class TokenStore {
    options;
    #access;
    #refresh;
    constructor(options) {
        this.options = options;
        const kept = { keepExpiredMs: EXPIRED_TOKENS_KEPT_MS, maxSize: MAX_KEPT_CREDENTIALS, now: options.now };
        this.#access = new ExpiringRecords(kept);
        this.#refresh = new ExpiringRecords(kept);
    }
    issue(appId) {
        const now = this.options.now();
        const pair = { accessToken: opaqueToken(), refreshToken: opaqueToken() };
        this.#access.set(pair.accessToken, { appId, expiresAt: now + this.options.accessTtlMs });
        this.#refresh.set(pair.refreshToken, { appId, expiresAt: now + this.options.refreshTtlMs });
        this.options.onIssue?.(pair);
        return pair;
    }
    checkAccess(token) {
        const record = this.#access.get(token);
        if (!record)
            return { ok: false, reason: 'unknown' };
        if (this.options.now() >= record.expiresAt)
            return { ok: false, reason: 'expired' };
        return { ok: true, appId: record.appId };
    }
    /** The app a live, unspent refresh token belongs to; null when it is unknown, spent or expired. */
    refreshTokenApp(token) {
        const record = this.#refresh.get(token);
        return record && this.options.now() < record.expiresAt ? record.appId : null;
    }
    /** Refresh tokens are single use: spending one forgets it. */
    spendRefreshToken(token) {
        this.#refresh.delete(token);
    }
    /** Every access token issued so far is expired from now on. */
    expireAllAccessTokens() {
        const now = this.options.now();
        for (const record of this.#access.values())
            record.expiresAt = Math.min(record.expiresAt, now);
    }
}
/**
 * Signatures are HMACs under a per-instance secret, remembered so `process` can look
 * them up. An expired one is dropped at once: unknown and expired get the same answer.
 */
export class SignatureStore {
    ttlMs;
    now;
    #secret = randomBytes(32);
    #records;
    constructor(ttlMs, now) {
        this.ttlMs = ttlMs;
        this.now = now;
        this.#records = new ExpiringRecords({ keepExpiredMs: 0, maxSize: MAX_KEPT_CREDENTIALS, now });
    }
    issue(appId, txnId) {
        const expiresAt = this.now() + this.ttlMs;
        const signature = createHmac('sha256', this.#secret).update(`${txnId}.${expiresAt}`).digest('hex');
        this.#records.set(signature, { appId, txnId, expiresAt });
        return signature;
    }
    check(signature) {
        const record = this.#records.get(signature.toLowerCase());
        if (!record)
            return { ok: false, reason: 'unknown' };
        if (this.now() >= record.expiresAt)
            return { ok: false, reason: 'expired' };
        return { ok: true, record };
    }
}
/** 48 hex characters of randomness. */
function opaqueToken() {
    return randomBytes(24).toString('hex');
}
