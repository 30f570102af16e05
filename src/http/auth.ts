/**
 * Client authentication: an API key from `Authorization: Bearer <key>` or `x-api-key`,
 * looked up in GATEWAY_API_KEYS. It reads only the raw request headers, so the front
 * door can refuse a stranger before anything is parsed. Keys are compared in constant
 * time and only a short hash of a key ever reaches a log line.
 */
import { hash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Scope, ScopeGrant } from '../config.js';

export interface Caller {
  /** A short, non-reversible label for logs, metrics and idempotency records; null when auth is off. */
  keyId: string | null;
  /** The granted scopes, sorted and joined: callers with equal `scopes` may share cached answers. */
  scopes: string;
  can(scope: Scope): boolean;
}

export type Refusal = 'missing-key' | 'unknown-key';

/**
 * The caller the headers prove, or why they prove none. `connection` (the request's
 * socket) lets a keep-alive connection that sends the same key again skip the hash.
 */
export type Authenticator = (headers: IncomingHttpHeaders, connection?: object) => Caller | Refusal;

const KEYLESS_CALLER: Caller = { keyId: null, scopes: '*', can: () => true };

/** Longer than any key we issue by far; a longer header is refused without hashing it. */
const MAX_KEY_LENGTH = 512;

export function createAuthenticator(apiKeys: ReadonlyMap<string, readonly ScopeGrant[]> | null): Authenticator {
  if (!apiKeys) return () => KEYLESS_CALLER;
  const known = [...apiKeys].map(([key, scopes]) => {
    const digest = sha256(key);
    const granted = new Set(scopes);
    const caller: Caller = {
      keyId: digest.toString('hex').slice(0, 16),
      scopes: granted.has('*') ? '*' : [...granted].sort().join(','),
      can: (scope) => granted.has('*') || granted.has(scope),
    };
    return { digest, caller };
  });

  // The key a connection last proved, and whose it is. A client on keep-alive sends the
  // same key on every request; the memo spares it the hash. The comparison with it stays
  // constant-time: a proxy's connection may carry the requests of several clients.
  const proven = new WeakMap<object, { key: string; caller: Caller }>();

  return (headers, connection) => {
    const presented = presentedKey(headers);
    if (!presented) return 'missing-key';
    if (presented.length > MAX_KEY_LENGTH) return 'unknown-key';
    const memo = connection && proven.get(connection);
    if (memo && sameInConstantTime(presented, memo.key)) return memo.caller;
    const digest = sha256(presented);
    // Compare against every key so timing does not reveal which one matched.
    let match: Caller | null = null;
    for (const candidate of known) if (timingSafeEqual(candidate.digest, digest)) match = candidate.caller;
    if (!match) return 'unknown-key';
    if (connection) proven.set(connection, { key: presented, caller: match });
    return match;
  };
}

export const REFUSAL_MESSAGES: Record<Refusal, string> = {
  'missing-key': 'Send an API key as "Authorization: Bearer <key>" or "x-api-key: <key>"',
  'unknown-key': 'The API key is not valid',
};

function presentedKey(headers: IncomingHttpHeaders): string | null {
  const authorization = headers.authorization;
  if (authorization && /^bearer\s/i.test(authorization)) {
    const bearer = authorization.slice(7).trim();
    if (bearer) return bearer;
  }
  const apiKey = headers['x-api-key'];
  const value = (Array.isArray(apiKey) ? apiKey[0] : apiKey)?.trim();
  return value || null;
}

/** Compares every character, whatever the first difference; only unequal lengths end it early (a key's length is no secret). */
function sameInConstantTime(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return difference === 0;
}

function sha256(value: string): Buffer {
  return hash('sha256', value, 'buffer');
}
