/**
 * Raw HTTP for the abuse tests: exact request targets (fetch would normalise `//graphql`
 * or `/a/../graphql`), chunked bodies, and answers read whatever the server does.
 */
import { request } from 'node:http';

export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface RawRequest {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Send the body with Transfer-Encoding: chunked (no Content-Length). */
  chunked?: boolean;
}

/** Sends one request; resolves with the answer, or with status 0 when the server closed the connection instead. */
export function rawRequest(baseUrl: string, { method = 'POST', path, headers = {}, body, chunked = false }: RawRequest): Promise<RawAnswer> {
  const url = new URL(baseUrl);
  return new Promise((resolve) => {
    const req = request({ host: url.hostname, port: url.port, method, path, headers: { ...headers, connection: 'close' }, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
      res.on('error', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: '' }));
    });
    // A server that refuses a body it will not read may close while we still write it.
    req.on('error', () => resolve({ status: 0, headers: {}, body: '' }));
    if (body !== undefined && !chunked) req.setHeader('content-length', Buffer.byteLength(body));
    if (chunked) req.setHeader('transfer-encoding', 'chunked');
    if (body !== undefined) req.write(body);
    req.end();
  });
}

/** A mutation that would create a payment if it ran. */
export function initiateMutation(referenceNumber: string): string {
  return `mutation { initiateTransaction(input: { currencyId: "c_DemoINR001", paymentMethodId: "pm_InrNetBnk", amount: "1", referenceNumber: "${referenceNumber}", redirectUrl: "https://shop.example/r" }) { __typename } }`;
}
