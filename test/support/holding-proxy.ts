/**
 * An HTTP proxy in front of the sandbox that can hold an answer back: the upstream has
 * read its state and answered, but the answer reaches the gateway only when the test
 * releases it. That is a GET in flight whose answer goes stale meanwhile, made exact.
 */
import { createServer, request, type IncomingHttpHeaders } from 'node:http';
import { closeServer, listenOnLoopback } from './loopback.js';

export interface HoldingProxy {
  url: string;
  /** Hold back the next answer to a request whose path starts with `pathPrefix`. */
  holdNext(pathPrefix: string): void;
  /** Answers held back now. */
  held(): number;
  /** Sends every held answer on. */
  release(): void;
  close(): Promise<void>;
}

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export async function startHoldingProxy(targetUrl: string): Promise<HoldingProxy> {
  const target = new URL(targetUrl);
  const holds: string[] = [];
  const held: (() => void)[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const forwarded = request(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host } },
        (upstream) => {
          const body: Buffer[] = [];
          upstream.on('data', (chunk: Buffer) => body.push(chunk));
          upstream.on('end', () => {
            const { 'transfer-encoding': _chunked, connection: _connection, ...headers } = upstream.headers;
            const answer: Answer = { status: upstream.statusCode ?? 502, headers, body: Buffer.concat(body) };
            const send = () => res.writeHead(answer.status, { ...answer.headers, 'content-length': answer.body.length }).end(answer.body);
            const hold = holds.findIndex((prefix) => req.url?.startsWith(prefix));
            if (hold < 0) return send();
            holds.splice(hold, 1);
            held.push(send);
          });
        },
      );
      forwarded.on('error', () => res.destroy());
      forwarded.end(Buffer.concat(chunks));
    });
  });
  const { url } = await listenOnLoopback(server);
  return {
    url,
    holdNext: (pathPrefix) => void holds.push(pathPrefix),
    held: () => held.length,
    release: () => {
      for (const send of held.splice(0)) send();
    },
    close: () => closeServer(server),
  };
}
