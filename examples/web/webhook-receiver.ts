/**
 * A tiny webhook receiver for the gateway's events: it verifies the signature, ignores an
 * event it has already handled (delivery is at least once), and marks the order paid on
 * `transaction.succeeded`. Copy `verifyWebhook` into your own server: it needs only
 * node:crypto.
 *
 *   const receiver = await startWebhookReceiver({ secret: process.env.WEBHOOK_SECRET!, port: 4100 });
 *   // gateway: WEBHOOK_URL=http://127.0.0.1:4100/webhooks WEBHOOK_SECRET=… npm start
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export const SIGNATURE_HEADER = 'kspay-gateway-signature';

export interface WebhookEvent {
  id: string;
  type: 'transaction.initiated' | 'transaction.processing' | 'transaction.succeeded' | 'transaction.failed';
  createdAt: string;
  data: { transaction: { id: string; referenceNumber: string | null; status: string; amount: string; currencyCode: string | null } };
}

export type VerifyResult = { ok: true; event: WebhookEvent } | { ok: false; reason: 'MISSING' | 'MALFORMED' | 'STALE' | 'MISMATCH' };

/**
 * Checks `KSPay-Gateway-Signature: t=<unix seconds>,v1=<hex>` against the raw body (the
 * bytes as received, before any JSON parsing): the HMAC-SHA256 of `<t>.<body>` under
 * the secret, compared in constant time, with `t` at most `toleranceSec` away from now.
 */
export function verifyWebhook(rawBody: string, header: string | undefined, secret: string, toleranceSec = 300, nowSec = Date.now() / 1000): VerifyResult {
  if (!header) return { ok: false, reason: 'MISSING' };
  const parts = header.split(',').map((part) => part.trim().split('='));
  const timestamp = Number(parts.find(([key]) => key === 't')?.[1]);
  const signatures = parts.filter(([key, value]) => key === 'v1' && /^[0-9a-f]{64}$/.test(value ?? '')).map(([, value]) => value);
  if (!Number.isInteger(timestamp) || signatures.length === 0) return { ok: false, reason: 'MALFORMED' };
  if (Math.abs(nowSec - timestamp) > toleranceSec) return { ok: false, reason: 'STALE' };
  const expected = createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest();
  const matches = signatures.some((hex) => timingSafeEqual(Buffer.from(hex!, 'hex'), expected));
  if (!matches) return { ok: false, reason: 'MISMATCH' };
  return { ok: true, event: JSON.parse(rawBody) as WebhookEvent };
}

export interface WebhookReceiver {
  url: string;
  /** Orders (referenceNumber) marked paid, each once. */
  paidOrders: Set<string>;
  /** Event ids handled, for dedupe. */
  seen: Set<string>;
  close(): Promise<void>;
}

/** Answers 400 to a bad signature, 200 to a good one (also to a repeat, which changes nothing). */
export async function startWebhookReceiver({ secret, port = 0 }: { secret: string; port?: number }): Promise<WebhookReceiver> {
  const paidOrders = new Set<string>();
  const seen = new Set<string>();
  const server: Server = createServer(async (request, response) => {
    const body = await readBody(request);
    const verified = verifyWebhook(body, request.headers[SIGNATURE_HEADER] as string | undefined, secret);
    if (!verified.ok) {
      response.writeHead(400).end(verified.reason);
      return;
    }
    const { event } = verified;
    if (!seen.has(event.id)) {
      seen.add(event.id);
      const reference = event.data.transaction.referenceNumber;
      if (event.type === 'transaction.succeeded' && reference) paidOrders.add(reference);
    }
    response.writeHead(200).end('ok');
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}/webhooks`,
    paidOrders,
    seen,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > 1_000_000) break; // an event is a few hundred bytes
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
