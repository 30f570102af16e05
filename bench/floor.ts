/**
 * The floor: what answering a request costs on this machine with nothing on top. A bare
 * node:http server (its own process, bench/serve.ts) reads each request and answers
 * the exact bytes, with the same status and headers, that the gateway gave for the
 * shape once. No gateway can be faster than this; a row's "vs floor" says how much of
 * the platform's rate the gateway keeps.
 */
import { request as httpRequest, type RequestListener } from 'node:http';

/** One recorded answer; the body in base64, so that it crosses the IPC channel byte for byte. */
export interface RecordedResponse {
  status: number;
  /** Name and value pairs, in the order and spelling the gateway sent them. */
  headers: [string, string][];
  bodyBase64: string;
}

/** Set per connection and message by node:http itself; copying them would repeat or misstate them. */
const HOP_BY_HOP = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding']);

/** Sends one request and records the answer as it came off the wire. */
export function recordResponse(url: string, headers: Record<string, string>, body: string): Promise<RecordedResponse> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(url, { method: 'POST', headers: { ...headers, 'content-length': Buffer.byteLength(body) } }, (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('error', reject);
      incoming.on('end', () => {
        const bytes = Buffer.concat(chunks);
        const pairs: [string, string][] = [];
        const raw = incoming.rawHeaders;
        for (let i = 0; i < raw.length; i += 2) {
          if (!HOP_BY_HOP.has(raw[i]!.toLowerCase())) pairs.push([raw[i]!, raw[i + 1]!]);
        }
        // A chunked answer is framed by length here: the floor does the least work it can.
        if (!pairs.some(([name]) => name.toLowerCase() === 'content-length')) pairs.push(['content-length', String(bytes.length)]);
        resolve({ status: incoming.statusCode ?? 0, headers: pairs, bodyBase64: bytes.toString('base64') });
      });
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

/** The floor server's listener; it answers 503 until it is given a response. */
export function createFloor(): { listener: RequestListener; respondWith(response: RecordedResponse): void } {
  let status = 503;
  let headers: string[] = ['content-length', '0'];
  let body = Buffer.alloc(0);
  return {
    listener(req, res) {
      // Like any server, it reads the whole request before answering.
      req.on('end', () => res.writeHead(status, headers).end(body));
      req.resume();
    },
    respondWith(response) {
      status = response.status;
      headers = response.headers.flat();
      body = Buffer.from(response.bodyBase64, 'base64');
    },
  };
}
