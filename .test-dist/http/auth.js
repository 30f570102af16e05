/**
 * Client authentication: an API key from `Authorization: Bearer <key>` or `x-api-key`,
 * looked up in GATEWAY_API_KEYS. It reads only the raw request headers, so the front
 * door can refuse a stranger before anything is parsed. Keys are compared in constant
 * time and only a short hash of a key ever reaches a log line.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
const KEYLESS_CALLER = { keyId: null, scopes: '*', can: () => true };
/** Longer than any key we issue by far; a longer header is refused without hashing it. */
const MAX_KEY_LENGTH = 512;
export function createAuthenticator(apiKeys) {
    if (!apiKeys)
        return () => KEYLESS_CALLER;
    const known = [...apiKeys].map(([key, scopes]) => {
        const digest = sha256(key);
        const granted = new Set(scopes);
        const caller = {
            keyId: digest.toString('hex').slice(0, 16),
            scopes: granted.has('*') ? '*' : [...granted].sort().join(','),
            can: (scope) => granted.has('*') || granted.has(scope),
        };
        return { digest, caller };
    });
    // The key a connection last proved, and whose it is. A client on keep-alive sends the
    // same key on every request; the memo spares it the hash. The comparison with it stays
    // constant-time: a proxy's connection may carry the requests of several clients.
    const proven = new WeakMap();
    return (headers, connection) => {
        const presented = presentedKey(headers);
        if (!presented)
            return 'missing-key';
        if (presented.length > MAX_KEY_LENGTH)
            return 'unknown-key';
        const memo = connection && proven.get(connection);
        if (memo && sameInConstantTime(presented, memo.key))
            return memo.caller;
        const digest = sha256(presented);
        // Compare against every key so timing does not reveal which one matched.
        let match = null;
        for (const candidate of known)
            if (timingSafeEqual(candidate.digest, digest))
                match = candidate.caller;
        if (!match)
            return 'unknown-key';
        if (connection)
            proven.set(connection, { key: presented, caller: match });
        return match;
    };
}
export const REFUSAL_MESSAGES = {
    'missing-key': 'Send an API key as "Authorization: Bearer <key>" or "x-api-key: <key>"',
    'unknown-key': 'The API key is not valid',
};
function presentedKey(headers) {
    const authorization = headers.authorization;
    if (authorization && /^bearer\s/i.test(authorization)) {
        const bearer = authorization.slice(7).trim();
        if (bearer)
            return bearer;
    }
    const apiKey = headers['x-api-key'];
    const value = (Array.isArray(apiKey) ? apiKey[0] : apiKey)?.trim();
    return value || null;
}
/** Compares every character, whatever the first difference; only unequal lengths end it early (a key's length is no secret). */
function sameInConstantTime(a, b) {
    if (a.length !== b.length)
        return false;
    let difference = 0;
    for (let i = 0; i < a.length; i++)
        difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
    return difference === 0;
}
function sha256(value) {
    return createHash('sha256').update(value).digest();
}
