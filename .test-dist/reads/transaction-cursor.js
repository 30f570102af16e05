/**
 * The `transactions` connection's cursors. A cursor names a row by its key (id and
 * createdAt) and says where that row was seen (its position in the newest-first list and
 * the list's total then), which is only a hint for finding it again (./transaction-pages.ts).
 *
 * On the wire a cursor is opaque: base64url of a small versioned JSON object with an HMAC
 * tag. The tag covers the key, the hint and the connection's from/to arguments, so a
 * forged or altered cursor, or one made for other arguments, is refused before any
 * upstream call. The HMAC key is derived from the merchant's KS Pay secret key, so every
 * instance of one merchant's gateway accepts the others' cursors.
 */
import { createHmac, createSecretKey, hkdfSync, timingSafeEqual } from 'node:crypto';
export const CURSOR_VERSION = 1;
/** Longer input is refused unread: a cursor this gateway makes is about 130 characters. */
export const MAX_CURSOR_LENGTH = 256;
const TAG_BYTES = 12;
const MAX_ID_LENGTH = 64;
/** Positions and totals beyond this are not a list the gateway ever paged. */
const MAX_POSITION = 1_000_000_000;
export class TransactionCursors {
    /** A KeyObject made once: createHmac over raw key bytes builds one per call, most of a cursor's cost. */
    #key;
    constructor(key) {
        this.#key = createSecretKey(Buffer.from(key));
    }
    /** The codec of a merchant: its HMAC key is derived from the KS Pay secret key, never that key itself. */
    static forSecret(secret) {
        return new TransactionCursors(Buffer.from(hkdfSync('sha256', secret, 'kspay-gateway', 'transactions-cursor-v1', 32)));
    }
    encode(key, scope) {
        const wire = { v: CURSOR_VERSION, id: key.id, c: key.createdAtMs, p: key.position, n: key.total, s: '' };
        wire.s = this.#tag(wire, scope).toString('base64url');
        return Buffer.from(JSON.stringify(wire)).toString('base64url');
    }
    /** The key a cursor of this connection holds; null for anything else (malformed, forged, other arguments). */
    decode(cursor, scope) {
        if (cursor.length === 0 || cursor.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(cursor))
            return null;
        const wire = parseWire(Buffer.from(cursor, 'base64url').toString('utf8'));
        if (!wire)
            return null;
        const tag = Buffer.from(wire.s, 'base64url');
        const expected = this.#tag(wire, scope);
        if (tag.length !== expected.length || !timingSafeEqual(tag, expected))
            return null;
        return { id: wire.id, createdAtMs: wire.c, position: wire.p, total: wire.n };
    }
    #tag(wire, { from, to }) {
        const signed = JSON.stringify([wire.v, wire.id, wire.c, wire.p, wire.n, from?.getTime() ?? null, to?.getTime() ?? null]);
        return createHmac('sha256', this.#key).update(signed).digest().subarray(0, TAG_BYTES);
    }
}
/** The wire object, if the text is one of this version's, with every field in range. */
function parseWire(text) {
    let value;
    try {
        value = JSON.parse(text);
    }
    catch {
        return null;
    }
    if (typeof value !== 'object' || value === null)
        return null;
    const { v, id, c, p, n, s } = value;
    const count = (x) => Number.isSafeInteger(x) && x >= 0 && x <= MAX_POSITION;
    const valid = v === CURSOR_VERSION &&
        typeof id === 'string' &&
        id.length > 0 &&
        id.length <= MAX_ID_LENGTH &&
        (c === null || (Number.isSafeInteger(c) && Math.abs(c) <= 8.64e15)) &&
        count(p) &&
        (n === null || (count(n) && n > p)) &&
        typeof s === 'string' &&
        /^[A-Za-z0-9_-]{16}$/.test(s);
    return valid ? value : null;
}
