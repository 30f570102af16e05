/**
 * A graphql-ws (graphql-transport-ws) socket opened by hand, for tests that count sockets or
 * read close codes: it sends connection_init with an API key and reports how it ended up.
 */
import { WebSocket } from 'ws';

export interface OpenedSocket {
  socket: WebSocket;
  /** 'acked', or the HTTP status of a refused upgrade, or the close code the server sent first. */
  outcome: 'acked' | { status: number } | { code: number; reason: string };
  /** Resolves with the code and reason of the socket's close, whenever it comes. */
  closed: Promise<{ code: number; reason: string }>;
}

export function openGraphQLSocket(url: string, apiKey: string, headers: Record<string, string> = {}): Promise<OpenedSocket> {
  const socket = new WebSocket(`${url.replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws', { headers });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  return new Promise((resolve) => {
    socket.on('error', () => undefined);
    socket.once('unexpected-response', (_req, res) => {
      resolve({ socket, outcome: { status: res.statusCode ?? 0 }, closed });
      socket.terminate();
    });
    socket.once('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { apiKey } })));
    socket.on('message', (data) => {
      if (JSON.parse(data.toString()).type === 'connection_ack') resolve({ socket, outcome: 'acked', closed });
    });
    void closed.then(({ code, reason }) => resolve({ socket, outcome: { code, reason }, closed }));
  });
}
