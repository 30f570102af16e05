/** A small GraphQL-over-SSE client (yoga's "distinct connections" mode) for the tests. */
import { print, type DocumentNode } from 'graphql';

export interface SseSubscription {
  /** The next `next` event's payload; rejects when the stream completes first. */
  next(): Promise<{ data?: any; errors?: { message: string; extensions?: Record<string, unknown> }[] }>;
  /** Resolves when the server completes the stream. */
  completed: Promise<void>;
  /** Counts of keep-alive pings (comment lines) received so far. */
  pings(): number;
  close(): void;
}

export function subscribe(url: string, query: string | DocumentNode, variables: Record<string, unknown>, headers: Record<string, string> = {}): SseSubscription {
  const controller = new AbortController();
  const queue: any[] = [];
  const waiters: { resolve: (value: any) => void; reject: (error: Error) => void }[] = [];
  let pings = 0;
  let finished = false;
  let markCompleted!: () => void;
  const completed = new Promise<void>((resolve) => (markCompleted = resolve));

  const deliver = (payload: any) => {
    const waiter = waiters.shift();
    if (waiter) waiter.resolve(payload);
    else queue.push(payload);
  };
  const finish = () => {
    finished = true;
    markCompleted();
    for (const waiter of waiters.splice(0)) waiter.reject(new Error('the stream completed'));
  };

  void (async () => {
    try {
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...headers },
        body: JSON.stringify({ query: typeof query === 'string' ? query : print(query), variables }),
        signal: controller.signal,
      });
      const decoder = new TextDecoder();
      let buffer = '';
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (block.startsWith(':')) pings += 1;
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event === 'next' && data) deliver(JSON.parse(data));
          if (event === 'complete') return finish();
        }
      }
      finish();
    } catch {
      finish();
    }
  })();

  return {
    next: () => {
      if (queue.length) return Promise.resolve(queue.shift());
      if (finished) return Promise.reject(new Error('the stream completed'));
      return new Promise((resolve, reject) => waiters.push({ resolve, reject }));
    },
    completed,
    pings: () => pings,
    close: () => controller.abort(),
  };
}
