/**
 * GraphQL over SSE for the tests, with maintained clients: graphql-sse's own client in its
 * distinct connections mode (yoga's SSE) for subscriptions, and eventsource-parser for the
 * tests that must see the raw stream, such as its keep-alive pings.
 */
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { print, type DocumentNode } from 'graphql';
import { createClient } from 'graphql-sse';

export interface SseResult {
  data?: any;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

export interface SseSubscription {
  /** The next `next` event's payload; rejects when the stream completes (or fails) first. */
  next(): Promise<SseResult>;
  /** Resolves when the server completes the stream; rejects when it ends any other way. */
  readonly completed: Promise<void>;
  close(): void;
}

const text = (query: string | DocumentNode) => (typeof query === 'string' ? query : print(query));

export function subscribe(
  url: string,
  query: string | DocumentNode,
  variables: Record<string, unknown>,
  headers: Record<string, string> = {},
): SseSubscription {
  // No retries: a dropped or refused stream must fail the test, not be quietly re-opened.
  const client = createClient({ url: `${url}/graphql`, headers, retryAttempts: 0 });
  const results = client.iterate<SseResult['data']>({ query: text(query), variables });
  let completion: Promise<void> | undefined;
  return {
    async next() {
      const step = await results.next();
      if (step.done) throw new Error('the stream completed');
      return step.value as SseResult;
    },
    // Read on demand: the events nobody asked for are passed over, as a client that stops listening would.
    get completed() {
      completion ??= (async () => {
        while (!(await results.next()).done);
      })();
      return completion;
    },
    close() {
      void results.return?.();
      client.dispose();
    },
  };
}

export interface RawEventStream {
  /** The SSE events received so far (`event: next`, `event: complete`), in order. */
  events: EventSourceMessage[];
  /** Comment lines (yoga's keep-alive pings) received so far. */
  pings(): number;
  close(): void;
}

/** The subscription's event stream as it comes off the wire, frame by frame. */
export function openEventStream(url: string, query: string | DocumentNode, variables: Record<string, unknown>): RawEventStream {
  const controller = new AbortController();
  const events: EventSourceMessage[] = [];
  let pings = 0;
  const parser = createParser({ onEvent: (event) => void events.push(event), onComment: () => void (pings += 1) });
  void (async () => {
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query: text(query), variables }),
      signal: controller.signal,
    });
    const decoder = new TextDecoder();
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) parser.feed(decoder.decode(chunk, { stream: true }));
  })().catch(() => undefined); // ended by close(); what the test waits for says what went wrong
  return { events, pings: () => pings, close: () => controller.abort() };
}
