/**
 * MAX_DOCUMENT_BYTES: the largest GraphQL document text the gateway parses. Comments and
 * whitespace are no tokens, so MAX_TOKENS alone let a tiny operation carry up to
 * MAX_BODY_BYTES of text into every parse and cache. Checked before any parse: over HTTP
 * here (yoga's onParams, after a persisted document id was resolved), over WebSocket in
 * src/http/websocket.ts, and by the response cache before its own analysis.
 */
import type { Plugin } from 'graphql-yoga';
import { clientError } from '../errors/client-errors.js';

/** UTF-8 takes at least one byte per UTF-16 unit and at most three: the byte count is computed only when it could matter. */
export function isDocumentTooLarge(query: unknown, maxBytes: number): boolean {
  if (typeof query !== 'string') return false;
  return query.length > maxBytes || (query.length * 3 > maxBytes && Buffer.byteLength(query) > maxBytes);
}

export function documentTooLarge(maxBytes: number) {
  return clientError('DOCUMENT_TOO_LARGE', `The GraphQL document is larger than ${maxBytes} bytes (MAX_DOCUMENT_BYTES)`);
}

export function useDocumentSizeLimit(maxBytes: number): Plugin {
  return {
    onParams({ params }) {
      if (isDocumentTooLarge(params.query, maxBytes)) throw documentTooLarge(maxBytes);
    },
  };
}
