import { LRUCache } from 'lru-cache';
import { sha256Hex } from './document-id.js';
/** Measured: a parsed document takes about 80 bytes of heap per byte of its text, and 1 KB more. */
const parsedBytes = (text) => 1_024 + 80 * text.length;
export function createDocumentCache({ maxBytes }) {
    // Every `set` below gives the entry's size.
    const parsed = new LRUCache({ maxSize: maxBytes });
    const errors = new LRUCache({ maxSize: Math.max(1, Math.floor(maxBytes / 8)) });
    const uses = new WeakMap();
    return {
        options: {
            documentCache: {
                get(text) {
                    const entry = parsed.get(sha256Hex(text));
                    if (entry)
                        entry.use.uses += 1;
                    return entry?.document;
                },
                set(text, document) {
                    const use = { hash: sha256Hex(text), uses: 1 };
                    const size = parsedBytes(text);
                    if (size > maxBytes)
                        return; // larger than the whole cache: parsed for this request only
                    parsed.set(use.hash, { document, use }, { size });
                    uses.set(document, use);
                },
            },
            errorCache: {
                get: (text) => errors.get(sha256Hex(text)),
                // A syntax error keeps its source: counted at the text's size.
                set: (text, error) => void errors.set(sha256Hex(text), error, { size: 2 * text.length + 1_024 }),
            },
        },
        useOf: (document) => uses.get(document),
    };
}
