/**
 * One KS Pay exchange over node:http(s) with keep-alive: what HttpTransport sends by default.
 * Global fetch (undici behind WHATWG Request, Response and streams) cost ~3× the CPU per call
 * in the profile of a transaction lookup at 0 ms latency, on the path every miss takes.
 *
 * It keeps fetch's guarantees that the transport relies on: no redirect is followed (a 3xx is
 * an answer), a Content-Length over the cap is refused before a byte is read and any body is
 * dropped as soon as it passes the cap (decoded bytes are counted, so a gzip bomb stops too),
 * a leading BOM is dropped, and an abort (timeout, close) ends the exchange at once.
 */
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { ResponseTooLarge } from './body.js';
/**
 * An idle socket is closed after 4 s (fetch's default), or a second before the server's own
 * `Keep-Alive: timeout=` when that is sooner: reusing a socket the server is closing would fail
 * a payment call with its outcome unknown. (Node applies the server's hint only under a timeout.)
 */
const KEEP_ALIVE = { keepAlive: true, scheduling: 'lifo', timeout: 4_000 };
export class NodeExchange {
    // Sockets kept open between calls, as fetch's pool does; LIFO keeps the warm ones in use.
    #http = new HttpAgent(KEEP_ALIVE);
    #https = new HttpsAgent(KEEP_ALIVE);
    send({ url, method, headers, body, signal, maxResponseBytes }) {
        return new Promise((resolve, reject) => {
            const secure = url.protocol === 'https:';
            const outgoing = (secure ? httpsRequest : httpRequest)(url, { method, headers, agent: secure ? this.#https : this.#http, signal });
            outgoing.once('error', reject);
            outgoing.once('response', (response) => {
                const status = response.statusCode ?? 0;
                const retryAfter = headerText(response.headers['retry-after']);
                readCapped(response, maxResponseBytes, status).then((text) => resolve({ status, text, retryAfter }), reject);
            });
            outgoing.end(body);
        });
    }
    /** Closes the kept sockets. */
    close() {
        this.#http.destroy();
        this.#https.destroy();
    }
}
function headerText(value) {
    return value === undefined ? null : Array.isArray(value) ? (value[0] ?? null) : value;
}
/** The decoded body as text, or ResponseTooLarge (carrying the status) once it passes `maxBytes`. */
function readCapped(response, maxBytes, status) {
    const declared = response.headers['content-length'];
    if (declared !== undefined && /^\d+$/.test(declared.trim()) && Number(declared) > maxBytes) {
        const refused = Promise.reject(new ResponseTooLarge(maxBytes, status));
        response.destroy();
        return refused;
    }
    const body = decoded(response);
    return new Promise((resolve, reject) => {
        const chunks = [];
        let size = 0;
        body.on('data', (chunk) => {
            size += chunk.byteLength;
            if (size > maxBytes) {
                // Refused first: destroying the response emits 'aborted' at once.
                reject(new ResponseTooLarge(maxBytes, status));
                response.destroy();
                if (body !== response)
                    body.destroy();
                return;
            }
            chunks.push(chunk);
        });
        body.once('end', () => resolve(new TextDecoder().decode(Buffer.concat(chunks, size))));
        body.once('error', reject);
        if (body !== response)
            response.once('error', reject);
        // The socket closed before the body was complete: a failed exchange, as fetch reports it.
        response.once('aborted', () => reject(Object.assign(new Error('the response was cut off'), { code: 'ECONNRESET' })));
    });
}
/** The body as the server's Content-Encoding says to read it (none is asked for, but a server may send one). */
function decoded(response) {
    const encoding = headerText(response.headers['content-encoding'])?.trim().toLowerCase();
    const decoder = encoding === 'gzip' || encoding === 'x-gzip'
        ? createGunzip()
        : encoding === 'deflate'
            ? createInflate()
            : encoding === 'br'
                ? createBrotliDecompress()
                : null;
    return decoder ? response.pipe(decoder) : response;
}
