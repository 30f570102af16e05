import { clientError } from '../errors/client-errors.js';
/** UTF-8 takes at least one byte per UTF-16 unit and at most three: the byte count is computed only when it could matter. */
export function isDocumentTooLarge(query, maxBytes) {
    if (typeof query !== 'string')
        return false;
    return query.length > maxBytes || (query.length * 3 > maxBytes && Buffer.byteLength(query) > maxBytes);
}
export function documentTooLarge(maxBytes) {
    return clientError('DOCUMENT_TOO_LARGE', `The GraphQL document is larger than ${maxBytes} bytes (MAX_DOCUMENT_BYTES)`);
}
export function useDocumentSizeLimit(maxBytes) {
    return {
        onParams({ params }) {
            if (isDocumentTooLarge(params.query, maxBytes))
                throw documentTooLarge(maxBytes);
        },
    };
}
