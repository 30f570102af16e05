import { KSPAY_CODES } from '../kspay/types.js';
import { ApiError } from './api.js';
import { CHECKOUT_HEADERS } from './checkout.js';
const MAX_BODY_BYTES = 1024 * 1024;
/** JSON (the norm) or form-encoded; an empty body is {}. Anything else is 400 code 25. */
export function parseBody(raw, contentType) {
    if (raw.trim() === '')
        return {};
    if (contentType.toLowerCase().includes('application/x-www-form-urlencoded')) {
        return Object.fromEntries(new URLSearchParams(raw));
    }
    let parsed;
    try {
        parsed = JSON.parse(raw);
    }
    catch {
        throw new ApiError(400, KSPAY_CODES.INVALID_REQUEST, 'Invalid request: the body is not valid JSON');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        throw new ApiError(400, KSPAY_CODES.INVALID_REQUEST, 'Invalid request: the body must be a JSON object');
    }
    return parsed;
}
/** The whole body as text; null when it was too large (answered here) or the client went away. */
export async function readBody(req, res) {
    const chunks = [];
    let size = 0;
    try {
        for await (const chunk of req) {
            size += chunk.length;
            if (size > MAX_BODY_BYTES) {
                res.setHeader('connection', 'close');
                sendJson(res, 413, { status: 413, message: 'Invalid request: the body is too large', code: KSPAY_CODES.INVALID_REQUEST });
                return null;
            }
            chunks.push(chunk);
        }
    }
    catch {
        return null;
    }
    return Buffer.concat(chunks).toString('utf8');
}
export function sendJson(res, status, body, headers = {}) {
    if (res.headersSent || res.destroyed)
        return;
    const text = JSON.stringify(body);
    res.writeHead(status, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': Buffer.byteLength(text),
        ...headers,
    });
    res.end(text);
}
/** A list item any of the client's list readers accepts, so the body is valid JSON whatever its size. */
const FILLER_ITEM = '{"id":"c_Filler00001","code":"PAD","name":"filler","isActive":false}';
const ITEMS_PER_CHUNK = 1024;
/**
 * A JSON body of exactly `bytes` bytes (the envelope around a list of filler items),
 * written chunk by chunk as the socket drains: the sandbox holds one chunk, never the
 * body. Stops as soon as the client goes away.
 */
export async function sendOversizedJson(res, { status, bytes, contentLength }) {
    if (res.headersSent || res.destroyed)
        return;
    const head = Buffer.from(`{"status":${status},"message":"${status < 300 ? 'success' : 'Something went wrong'}","result":[${FILLER_ITEM}`);
    const tail = Buffer.from(']}');
    const unit = `,${FILLER_ITEM}`;
    const chunk = Buffer.from(unit.repeat(ITEMS_PER_CHUNK));
    const size = Math.max(bytes, head.length + tail.length);
    res.writeHead(status, {
        'content-type': 'application/json; charset=utf-8',
        ...(contentLength ? { 'content-length': size } : {}),
    });
    const fill = size - head.length - tail.length;
    let units = Math.floor(fill / unit.length);
    const parts = function* () {
        yield head;
        for (; units > 0; units -= ITEMS_PER_CHUNK)
            yield chunk.subarray(0, Math.min(units, ITEMS_PER_CHUNK) * unit.length);
        yield Buffer.alloc(fill % unit.length, ' ');
    };
    for (const part of parts()) {
        if (res.destroyed)
            return;
        if (!res.write(part) && !(await drained(res)))
            return;
    }
    res.end(tail);
}
/** Resolves true when the response can take more, false when it closed instead. */
function drained(res) {
    return new Promise((resolve) => {
        const settle = (canWrite) => () => {
            res.off('drain', onDrain).off('close', onClose);
            resolve(canWrite);
        };
        const onDrain = settle(true);
        const onClose = settle(false);
        res.on('drain', onDrain).on('close', onClose);
    });
}
export function sendCheckout(res, reply) {
    if (res.headersSent || res.destroyed)
        return;
    if (reply.location) {
        res.writeHead(reply.status, { location: reply.location, 'cache-control': 'no-store', 'content-length': 0 });
        res.end();
        return;
    }
    const html = reply.html ?? '';
    res.writeHead(reply.status, { ...CHECKOUT_HEADERS, 'content-length': Buffer.byteLength(html) });
    res.end(html);
}
/**
 * The sandbox's delayed answers (the `latencyMs` fault), all cut short at once by
 * `cancelAll()` when it closes. One set of timers rather than an abort listener per parked
 * request: hundreds may wait at once, past Node's warning limit for listeners on one signal.
 */
export class Delays {
    #pending = new Map();
    #cancelled = false;
    /** Waits `ms`; false when the sandbox closed meanwhile. */
    wait(ms) {
        if (this.#cancelled)
            return Promise.resolve(false);
        return new Promise((resolve) => {
            const timer = setTimeout(() => {
                this.#pending.delete(timer);
                resolve(true);
            }, ms);
            this.#pending.set(timer, resolve);
        });
    }
    cancelAll() {
        this.#cancelled = true;
        for (const [timer, resolve] of this.#pending) {
            clearTimeout(timer);
            resolve(false);
        }
        this.#pending.clear();
    }
}
export function decodeSegment(segment) {
    try {
        return decodeURIComponent(segment);
    }
    catch {
        return segment; // not valid percent-encoding: the id check rejects it as malformed
    }
}
/** A URL a client can call: wildcard listen addresses become loopback. */
export function listeningUrl(address) {
    const wildcard = address.address === '0.0.0.0' || address.address === '::';
    const host = wildcard ? (address.family === 'IPv6' ? '::1' : '127.0.0.1') : address.address;
    return `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
}
