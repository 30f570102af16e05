/** Small readers and writers of raw node:http requests, shared by the front door's parts. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../observability/logger.js';

/** The path of a request target, origin-form or absolute-form, without its query. */
export function pathOf(target = '/'): string {
  if (target.startsWith('/')) {
    const query = target.indexOf('?');
    return query === -1 ? target : target.slice(0, query);
  }
  try {
    return new URL(target).pathname;
  } catch {
    return '';
  }
}

/**
 * Reads the whole body, whose length the front door has already checked against the
 * limit, and hands it to `done` in the tick it ends (a callback, not a promise: the warm
 * path answers in that same tick). A request that ends early or errors is dropped.
 */
export function readBody(req: IncomingMessage, expectedBytes: number, done: (body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  let received = 0;
  req.on('data', (chunk: Buffer) => {
    received += chunk.length;
    if (received > expectedBytes) return req.destroy();
    chunks.push(chunk);
  });
  req.once('end', () => {
    if (received === expectedBytes) done(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
  });
  req.once('error', () => req.destroy());
}

/** The body as JSON, or undefined when it is not (yoga then answers the parse error itself). */
export function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}

/** A request that failed inside the gateway: logged with its id, answered 500 (or cut, if already answering); the id is already on `res`. */
export function failed(res: ServerResponse, logger: Logger, requestId: string, error: unknown, what = 'request failed'): void {
  logger.error({ requestId, err: error }, what);
  if (!res.headersSent) res.writeHead(500, { 'content-length': 0 }).end();
  else res.destroy();
}

/** A node request's headers as WHATWG Headers (for yoga's Request), repeated ones kept. */
export function headersOf(req: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one);
  }
  return headers;
}
