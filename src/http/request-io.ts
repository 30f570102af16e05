/** Small readers and writers of raw node:http requests, shared by the front door's parts. */
import { randomUUID } from 'node:crypto';
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

/** A well-formed `x-request-id` is kept (for tracing across services); anything else is replaced. */
export function requestIdOf(header: string | string[] | undefined): string {
  return typeof header === 'string' && /^[\w.:-]{1,64}$/.test(header) ? header : randomUUID();
}

/** The whole body, whose length the front door has already checked against the limit. */
export function readBody(req: IncomingMessage, expectedBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    req.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > expectedBytes) return req.destroy();
      chunks.push(chunk);
    });
    req.once('end', () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)));
    req.once('error', reject);
    req.once('aborted', () => reject(new Error('aborted')));
  });
}

/** The body as JSON, or undefined when it is not (yoga then answers the parse error itself). */
export function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}

/** A request that failed inside the gateway: logged with its id, answered 500 (or cut, if already answering). */
export function failed(res: ServerResponse, logger: Logger, requestId: string, error: unknown, what = 'request failed'): void {
  logger.error({ requestId, err: error }, what);
  if (!res.headersSent) res.writeHead(500).end();
  else res.destroy();
}
