/**
 * yoga's parse cache (and, through it, its validation cache, which is a WeakMap on the
 * parsed document), bounded by bytes instead of by count and keyed by the sha256 of the
 * text instead of the text: a parsed document holds every token, comments included,
 * about 80 bytes of heap per byte of text, so a count bound let a client with a key fill
 * memory with distinct (or comment-padded) documents. It also counts how often each
 * document was used, which is what decides whether graphql-jit compiles it.
 */
import type { DocumentNode } from 'graphql';
import { LRUCache } from 'lru-cache';
import { documentHash } from './document-id.js';

/** What the parse cache knows of a document it handed out. */
export interface DocumentUse {
  /** sha256 hex of the text: the id a trusted document has in its manifest. */
  hash: string;
  /** Requests that used this parse (the first one included). */
  uses: number;
}

export interface DocumentCache {
  /** yoga's `parserAndValidationCache` option. */
  options: {
    documentCache: { get(text: string): DocumentNode | undefined; set(text: string, document: DocumentNode): void };
    errorCache: { get(text: string): unknown; set(text: string, error: unknown): void };
  };
  useOf(document: DocumentNode): DocumentUse | undefined;
}

/** Measured: a parsed document takes about 80 bytes of heap per byte of its text, and 1 KB more. */
const parsedBytes = (text: string) => 1_024 + 80 * text.length;

export function createDocumentCache({ maxBytes }: { maxBytes: number }): DocumentCache {
  // Every `set` below gives the entry's size.
  const parsed = new LRUCache<string, { document: DocumentNode; use: DocumentUse }>({ maxSize: maxBytes });
  const errors = new LRUCache<string, object>({ maxSize: Math.max(1, Math.floor(maxBytes / 8)) });
  const uses = new WeakMap<DocumentNode, DocumentUse>();
  return {
    options: {
      documentCache: {
        get(text) {
          const entry = parsed.get(documentHash(text));
          if (entry) entry.use.uses += 1;
          return entry?.document;
        },
        set(text, document) {
          const use = { hash: documentHash(text), uses: 1 };
          const size = parsedBytes(text);
          if (size > maxBytes) return; // larger than the whole cache: parsed for this request only
          parsed.set(use.hash, { document, use }, { size });
          uses.set(document, use);
        },
      },
      errorCache: {
        get: (text) => errors.get(documentHash(text)),
        // A syntax error keeps its source: counted at the text's size.
        set: (text, error) => void errors.set(documentHash(text), error as object, { size: 2 * text.length + 1_024 }),
      },
    },
    useOf: (document) => uses.get(document),
  };
}
