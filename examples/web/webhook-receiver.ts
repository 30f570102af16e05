/**
 * A tiny webhook receiver for the gateway's events: it verifies the Standard Webhooks
 * signature with the standard's own library (npm `standardwebhooks`; ports exist for most
 * languages), ignores an event it has already handled (delivery is at least once; the
 * `webhook-id` is stable across retries), and marks the order paid on `transaction.succeeded`.
 *
 *   const receiver = await startWebhookReceiver({ secrets: [process.env.WEBHOOK_SECRET!], port: 4100 });
 *   // gateway: WEBHOOK_URL=http://127.0.0.1:4100/webhooks WEBHOOK_SECRET=whsec_… npm start
 *
 * Run alone (`WEBHOOK_SECRET=whsec_… npx tsx examples/web/webhook-receiver.ts [port]`) it
 * listens on port 4100 (or the one given) and prints each delivery; without WEBHOOK_SECRET
 * it says what it needs and exits 1. docs/webhooks.md shows the verifyWebhook region as is.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';

export interface WebhookEvent {
  id: string;
  type: 'transaction.initiated' | 'transaction.processing' | 'transaction.succeeded' | 'transaction.failed';
  createdAt: string;
  data: { transaction: { id: string; referenceNumber: string | null; status: string; amount: string; currencyCode: string | null } };
}

export type VerifyResult = { ok: true; event: WebhookEvent } | { ok: false; reason: string };

// #region verifyWebhook
/** A `whsec_…` secret is the standard's; any other (older) secret is used as its raw characters. */
function verifierFor(secret: string): Webhook {
  return secret.startsWith('whsec_') ? new Webhook(secret) : new Webhook(secret, { format: 'raw' });
}

/**
 * Verifies the raw body (the bytes as received, before any JSON parsing) against the
 * `webhook-id`, `webhook-timestamp` and `webhook-signature` headers. Any of `secrets`
 * may match: during a rotation the receiver holds the old and the new secret. The library
 * refuses a timestamp more than 5 minutes away (replays).
 */
export function verifyWebhook(rawBody: string, headers: Record<string, string | string[] | undefined>, secrets: readonly string[]): VerifyResult {
  const wanted = Object.fromEntries(['webhook-id', 'webhook-timestamp', 'webhook-signature'].map((name) => [name, String(headers[name] ?? '')]));
  let reason = 'no secret';
  for (const secret of secrets) {
    try {
      return { ok: true, event: verifierFor(secret).verify(rawBody, wanted) as WebhookEvent };
    } catch (error) {
      if (!(error instanceof WebhookVerificationError)) throw error;
      reason = error.message;
    }
  }
  return { ok: false, reason };
}
// #endregion verifyWebhook

export interface WebhookReceiver {
  url: string;
  /** Orders (referenceNumber) marked paid, each once. */
  paidOrders: Set<string>;
  /** Event ids handled, for dedupe. */
  seen: Set<string>;
  close(): Promise<void>;
}

/** Answers 400 to a bad signature, 200 to a good one (also to a repeat, which changes nothing). */
export async function startWebhookReceiver({
  secrets,
  port = 0,
  onEvent,
}: {
  secrets: readonly string[];
  port?: number;
  /** Called once per verified event (a repeat too, marked so): `npm run example` prints each on the console. */
  onEvent?: (event: WebhookEvent, repeat: boolean) => void;
}): Promise<WebhookReceiver> {
  const paidOrders = new Set<string>();
  const seen = new Set<string>();
  const server: Server = createServer(async (request, response) => {
    const body = await readBody(request);
    const verified = verifyWebhook(body, request.headers, secrets);
    if (!verified.ok) {
      response.writeHead(400).end(verified.reason);
      return;
    }
    const { event } = verified;
    onEvent?.(event, seen.has(event.id));
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

/** One console line for a delivery, as `npm run example` and the receiver run alone print it. */
export function describeDelivery(event: WebhookEvent, repeat: boolean): string {
  const { transaction } = event.data;
  const order = transaction.referenceNumber ?? '(no reference)';
  return `webhook ${event.type} ${transaction.id} order ${order} ${transaction.amount} ${transaction.currencyCode ?? ''}${repeat ? ' (repeat, ignored)' : ''}`.trim();
}

async function runAlone(): Promise<void> {
  const secrets = (process.env.WEBHOOK_SECRET ?? '').split(',').filter(Boolean);
  const port = Number(process.argv[2] ?? 4100);
  if (!secrets.length || !Number.isInteger(port) || port < 0 || port > 65_535) {
    console.error(`This is the shop's side of the gateway's webhooks: it needs the secret the gateway signs with.
  WEBHOOK_SECRET=whsec_... npx tsx examples/web/webhook-receiver.ts [port, default 4100]
then start the gateway with WEBHOOK_URL=http://127.0.0.1:<port>/webhooks and the same WEBHOOK_SECRET.
(npm run example starts one of these for you, wired to its gateway.)`);
    process.exit(1);
  }
  const receiver = await startWebhookReceiver({ secrets, port, onEvent: (event, repeat) => console.log(describeDelivery(event, repeat)) });
  console.log(`Webhook receiver at ${receiver.url}: start the gateway with WEBHOOK_URL=${receiver.url} and the same WEBHOOK_SECRET. Ctrl+C to stop.`);
  const stop = () => void receiver.close().finally(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await runAlone();
