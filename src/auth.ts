/**
 * Client authentication: an API key from `Authorization: Bearer <key>` or `x-api-key`,
 * looked up in GATEWAY_API_KEYS. Keys are compared in constant time and only a short
 * hash of a key ever reaches a log line.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { GraphQLError } from 'graphql';
import type { Scope, ScopeGrant } from './config.js';

export interface Caller {
  /** A short, non-reversible label for logs and metrics; null when auth is off. */
  keyId: string | null;
  can(scope: Scope): boolean;
}

const OPEN_CALLER: Caller = { keyId: null, can: () => true };

export type Authenticator = (request: Request) => Caller;

export function createAuthenticator(apiKeys: ReadonlyMap<string, readonly ScopeGrant[]> | null): Authenticator {
  if (!apiKeys) return () => OPEN_CALLER;
  const known = [...apiKeys].map(([key, scopes]) => ({ digest: sha256(key), scopes: new Set(scopes) }));

  return (request) => {
    const presented = presentedKey(request);
    if (!presented) throw unauthenticated('Send an API key as "Authorization: Bearer <key>" or "x-api-key: <key>"');
    const digest = sha256(presented);
    // Compare against every key so timing does not reveal which prefix matched.
    const match = known.filter((k) => timingSafeEqual(k.digest, digest))[0];
    if (!match) throw unauthenticated('The API key is not valid');
    return {
      keyId: digest.toString('hex').slice(0, 8),
      can: (scope) => match.scopes.has('*') || match.scopes.has(scope),
    };
  };
}

function presentedKey(request: Request): string | null {
  const header = request.headers.get('authorization');
  const bearer = header?.match(/^Bearer\s+(.+)$/i)?.[1]?.trim();
  return bearer || request.headers.get('x-api-key')?.trim() || null;
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: 'UNAUTHENTICATED', http: { status: 401, headers: { 'www-authenticate': 'Bearer' } } },
  });
}
