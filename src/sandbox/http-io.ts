/**
 * Reading requests and writing responses for the sandbox server: bodies (bounded),
 * JSON and HTML answers, path segments, and the URL a client should call.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiError } from './api.js';
import { CHECKOUT_HEADERS, type CheckoutReply } from './checkout.js';

const MAX_BODY_BYTES = 1024 * 1024;

/** JSON (the norm) or form-encoded; an empty body is {}. Anything else is 400 code 25. */
export function parseBody(raw: string, contentType: string): Record<string, unknown> {
  if (raw.trim() === '') return {};
  if (contentType.toLowerCase().includes('application/x-www-form-urlencoded')) {
    return Object.fromEntries(new URLSearchParams(raw));
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ApiError(400, 25, 'Invalid request: the body is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ApiError(400, 25, 'Invalid request: the body must be a JSON object');
  }
  return parsed as Record<string, unknown>;
}

/** The whole body as text; null when it was too large (answered here) or the client went away. */
export async function readBody(req: IncomingMessage, res: ServerResponse): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        res.setHeader('connection', 'close');
        sendJson(res, 413, { status: 413, message: 'Invalid request: the body is too large', code: 25 });
        return null;
      }
      chunks.push(chunk);
    }
  } catch {
    return null;
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

export function sendCheckout(res: ServerResponse, reply: CheckoutReply): void {
  if (res.headersSent || res.destroyed) return;
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
  readonly #pending = new Map<NodeJS.Timeout, (elapsed: boolean) => void>();
  #cancelled = false;

  /** Waits `ms`; false when the sandbox closed meanwhile. */
  wait(ms: number): Promise<boolean> {
    if (this.#cancelled) return Promise.resolve(false);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#pending.delete(timer);
        resolve(true);
      }, ms);
      this.#pending.set(timer, resolve);
    });
  }

  cancelAll(): void {
    this.#cancelled = true;
    for (const [timer, resolve] of this.#pending) {
      clearTimeout(timer);
      resolve(false);
    }
    this.#pending.clear();
  }
}

export function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment; // not valid percent-encoding: the id check rejects it as malformed
  }
}

/** A URL a client can call: wildcard listen addresses become loopback. */
export function listeningUrl(address: AddressInfo): string {
  const wildcard = address.address === '0.0.0.0' || address.address === '::';
  const host = wildcard ? (address.family === 'IPv6' ? '::1' : '127.0.0.1') : address.address;
  return `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
}
