/**
 * Which persisted document a request names, however the client spells it: Apollo's
 * `extensions.persistedQuery.sha256Hash` (bare hex) or GraphQL-over-HTTP's `documentId`
 * (`"sha256:<hex>"`). Both come down to the 64 lowercase hex digits of a sha256.
 */
import { createHash } from 'node:crypto';
import { clientError } from '../errors/client-errors.js';
const HEX_SHA256 = /^[0-9a-f]{64}$/;
/** The bare hex hash a request names, or null when it names none. A malformed id is a BAD_REQUEST. */
export function documentIdOf(params) {
    if (params.documentId != null) {
        const id = params.documentId;
        const hex = typeof id === 'string' ? id.replace(/^sha256:/, '') : null;
        if (!hex || !HEX_SHA256.test(hex))
            throw badId('documentId must be "sha256:" followed by 64 lowercase hex digits');
        return hex;
    }
    const persisted = params.extensions?.persistedQuery;
    if (persisted == null)
        return null;
    const { version, sha256Hash } = persisted;
    if (version !== 1)
        throw badId('extensions.persistedQuery.version must be 1');
    const hex = typeof sha256Hash === 'string' ? sha256Hash.replace(/^sha256:/, '') : null;
    if (!hex || !HEX_SHA256.test(hex))
        throw badId('extensions.persistedQuery.sha256Hash must be 64 lowercase hex digits');
    return hex;
}
export function sha256Hex(text) {
    return createHash('sha256').update(text).digest('hex');
}
function badId(message) {
    return clientError('BAD_REQUEST', message);
}
