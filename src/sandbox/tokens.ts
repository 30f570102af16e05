/**
 * Opaque credentials the sandbox hands out: access/refresh token pairs and the
 * transaction signatures that `process` accepts. Nothing here is ever logged.
 */
import { createHmac, randomBytes } from 'node:crypto';

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
}

interface TokenRecord {
  appId: string;
  expiresAt: number;
}

export type AccessCheck = { ok: true; appId: string } | { ok: false; reason: 'unknown' | 'expired' };

/** Expired records are kept this long so that they still answer "expired", not "unknown". */
const FORGET_AFTER_MS = 60 * 60_000;

/** Drops records expired longer than FORGET_AFTER_MS ago; sweeps at most once a minute. */
class Forgetter {
  #lastSweep = Date.now();

  sweep(now: number, ...maps: Map<string, { expiresAt: number }>[]): void {
    if (now - this.#lastSweep < 60_000) return;
    this.#lastSweep = now;
    for (const map of maps) {
      for (const [key, record] of map) {
        if (now - record.expiresAt > FORGET_AFTER_MS) map.delete(key);
      }
    }
  }
}

export class TokenStore {
  readonly #access = new Map<string, TokenRecord>();
  readonly #refresh = new Map<string, TokenRecord>();
  readonly #forgetter = new Forgetter();
  /** Every token ever issued, so tests can prove none of them leaks into a log or response. */
  readonly #issued: string[] = [];

  constructor(
    private readonly accessTtlMs: number,
    private readonly refreshTtlMs: number,
  ) {}

  issue(appId: string): TokenPair {
    const now = Date.now();
    this.#forgetter.sweep(now, this.#access, this.#refresh);
    const pair = { accessToken: opaqueToken(), refreshToken: opaqueToken() };
    this.#access.set(pair.accessToken, { appId, expiresAt: now + this.accessTtlMs });
    this.#refresh.set(pair.refreshToken, { appId, expiresAt: now + this.refreshTtlMs });
    this.#issued.push(pair.accessToken, pair.refreshToken);
    return pair;
  }

  checkAccess(token: string): AccessCheck {
    const record = this.#access.get(token);
    if (!record) return { ok: false, reason: 'unknown' };
    if (Date.now() >= record.expiresAt) return { ok: false, reason: 'expired' };
    return { ok: true, appId: record.appId };
  }

  /** The app a live, unspent refresh token belongs to; null when it is unknown, spent or expired. */
  refreshTokenApp(token: string): string | null {
    const record = this.#refresh.get(token);
    return record && Date.now() < record.expiresAt ? record.appId : null;
  }

  /** Refresh tokens are single use: spending one forgets it. */
  spendRefreshToken(token: string): void {
    this.#refresh.delete(token);
  }

  issued(): readonly string[] {
    return this.#issued;
  }

  /** Every access token issued so far is expired from now on. */
  expireAllAccessTokens(): void {
    const now = Date.now();
    for (const record of this.#access.values()) record.expiresAt = Math.min(record.expiresAt, now);
  }
}

export interface SignatureRecord {
  appId: string;
  txnId: string;
  expiresAt: number;
}

export type SignatureCheck = { ok: true; record: SignatureRecord } | { ok: false; reason: 'unknown' | 'expired' };

/** Signatures are HMACs under a per-instance secret, remembered so `process` can look them up. */
export class SignatureStore {
  readonly #secret = randomBytes(32);
  readonly #records = new Map<string, SignatureRecord>();
  readonly #forgetter = new Forgetter();

  constructor(private readonly ttlMs: number) {}

  issue(appId: string, txnId: string): string {
    const now = Date.now();
    this.#forgetter.sweep(now, this.#records);
    const expiresAt = now + this.ttlMs;
    const signature = createHmac('sha256', this.#secret).update(`${txnId}.${expiresAt}`).digest('hex');
    this.#records.set(signature, { appId, txnId, expiresAt });
    return signature;
  }

  check(signature: string): SignatureCheck {
    const record = this.#records.get(signature.toLowerCase());
    if (!record) return { ok: false, reason: 'unknown' };
    if (Date.now() >= record.expiresAt) return { ok: false, reason: 'expired' };
    return { ok: true, record };
  }
}

/** 48 hex characters of randomness. */
function opaqueToken(): string {
  return randomBytes(24).toString('hex');
}
