/**
 * Which persisted document a request names, however the client spells it: Apollo's
 * `extensions.persistedQuery.sha256Hash` (bare hex) or GraphQL-over-HTTP's `documentId`
 * (`"sha256:<hex>"`). Both come down to the 64 lowercase hex digits of a sha256.
 */
import { hash } from 'node:crypto';
import type { GraphQLParams } from 'graphql-yoga';
import { clientError } from '../errors/client-errors.js';

const HEX_SHA256 = /^[0-9a-f]{64}$/;

/** The bare hex hash a request names, or null when it names none. A malformed id is a BAD_REQUEST. */
export function documentIdOf(params: GraphQLParams & { documentId?: unknown }): string | null {
  if (params.documentId != null) {
    const id = params.documentId;
    const hex = typeof id === 'string' ? id.replace(/^sha256:/, '') : null;
    if (!hex || !HEX_SHA256.test(hex)) throw badId('documentId must be "sha256:" followed by 64 lowercase hex digits');
    return hex;
  }
  const persisted = (params.extensions as { persistedQuery?: unknown } | undefined)?.persistedQuery;
  if (persisted == null) return null;
  const { version, sha256Hash } = persisted as { version?: unknown; sha256Hash?: unknown };
  if (version !== 1) throw badId('extensions.persistedQuery.version must be 1');
  const hex = typeof sha256Hash === 'string' ? sha256Hash.replace(/^sha256:/, '') : null;
  if (!hex || !HEX_SHA256.test(hex)) throw badId('extensions.persistedQuery.sha256Hash must be 64 lowercase hex digits');
  return hex;
}

export function sha256Hex(text: string): string {
  // One-shot: no Hash object per call.
  return hash('sha256', text, 'hex');
}

/** Characters of document text the memo below holds at most; a document over a sixteenth of it is not kept. */
const MEMO_MAX_CHARS = 1024 * 1024;
const memo = new Map<string, string>();
let memoChars = 0;

/**
 * The sha256 hex of a document's text, remembered for recent texts: the response cache and
 * the parse cache each need it for every request, and clients repeat a few documents. Exact
 * (keyed by the whole text) and bounded: when full it starts over.
 */
export function documentHash(text: string): string {
  const known = memo.get(text);
  if (known !== undefined) return known;
  const digest = sha256Hex(text);
  if (text.length > MEMO_MAX_CHARS / 16) return digest;
  if (memoChars + text.length > MEMO_MAX_CHARS) {
    memo.clear();
    memoChars = 0;
  }
  memo.set(text, digest);
  memoChars += text.length;
  return digest;
}

function badId(message: string) {
  return clientError('BAD_REQUEST', message);
}
