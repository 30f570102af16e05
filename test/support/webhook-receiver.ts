/**
 * A webhook endpoint for the tests: a node:http server on a free loopback port that
 * records every request and answers as the test tells it (500 for the first attempts,
 * hang, or close and come back on the same port).
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import { closeServer, listenOnLoopback } from './loopback.js';

export interface ReceivedRequest {
  eventId: string;
  type: string;
  transactionId: string;
  body: string;
  /** The request's headers (the Standard Webhooks ones and the deprecated signature). */
  headers: Record<string, string | string[] | undefined>;
  /** What the receiver answered (null: it never answered). */
  answered: number | null;
}

/** Decides the answer to one request: a status, or 'hang' to never answer. */
export type Answer = (request: ReceivedRequest, index: number) => number | 'hang';

export interface TestReceiver {
  url: string;
  requests: ReceivedRequest[];
  answer: Answer;
  /** Events answered 2xx, in the order they were answered. */
  delivered(): ReceivedRequest[];
  stop(): Promise<void>;
  /** Listens again on the same port. */
  start(): Promise<void>;
}

export async function startReceiver(answer: Answer = () => 200, port = 0): Promise<TestReceiver> {
  const requests: ReceivedRequest[] = [];
  const hanging = new Set<ServerResponse>();
  let server: Server;
  const receiver: TestReceiver = {
    url: '',
    requests,
    answer,
    delivered: () => requests.filter((r) => r.answered !== null && r.answered >= 200 && r.answered < 300),
    async stop() {
      for (const response of hanging) response.destroy();
      await closeServer(server);
    },
    async start() {
      server = createServer(async (request, response) => {
        const chunks: Buffer[] = [];
        for await (const chunk of request) chunks.push(chunk as Buffer);
        const body = Buffer.concat(chunks).toString('utf8');
        const event = JSON.parse(body);
        const received: ReceivedRequest = {
          eventId: event.id,
          type: event.type,
          transactionId: event.data.transaction.id,
          body,
          headers: request.headers,
          answered: null,
        };
        requests.push(received);
        const status = receiver.answer(received, requests.length - 1);
        if (status === 'hang') return void hanging.add(response);
        received.answered = status;
        response.writeHead(status).end();
      });
      const listening = await listenOnLoopback(server, port);
      port = listening.port;
      receiver.url = `${listening.url}/hooks`;
    },
  };
  await receiver.start();
  return receiver;
}

/** Waits until `condition` holds, checking every 25 ms; fails after `timeoutMs` with `what`. */
export async function waitFor<T>(what: string, condition: () => T | Promise<T>, timeoutMs = 15_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await condition();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Short intervals for tests: each stage is a condition waited on, never a fixed time. */
export const FAST = {
  watch: { tickMs: 50, firstPollMs: 100, maxPollMs: 400 },
  delivery: { tickMs: 50, firstRetryMs: 100, maxRetryDelayMs: 400 },
};

/** A Standard Webhooks secret: `whsec_` and the base64 of 32 bytes. */
export const SECRET = `whsec_${Buffer.from('kspay-gateway-test-webhook-key-1').toString('base64')}`;
