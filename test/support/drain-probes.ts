/**
 * What the shutdown tests hold open across a SIGTERM: a request whose headers are half
 * sent (so it rides a connection opened before the listener closed, and is read only once
 * the test sends the rest), and a graphql-ws subscriber that records how its socket closed.
 */
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import WebSocket from 'ws';

export interface RawResponse {
  status: number;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  body: string;
}

export interface HeldRequest {
  /** Sends the end of the headers; resolves with the answer once the server has closed the connection. */
  finish(): Promise<RawResponse>;
}

/**
 * Opens a connection and sends `GET path` up to, not including, the blank line that ends its
 * headers; resolves once the server has read those bytes (so its parser holds a request begun,
 * and closing the server leaves the connection open).
 */
export async function holdRequest(baseUrl: string, path: string): Promise<HeldRequest> {
  const { hostname, port } = new URL(baseUrl);
  const socket = connect(Number(port), hostname);
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  let received = '';
  socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
  const ended = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.on('error', () => undefined);
  socket.write(`GET ${path} HTTP/1.1\r\nhost: ${hostname}:${port}\r\n`);
  await until(() => readByServer(Number(port), socket.localPort!));
  return {
    async finish() {
      socket.write('\r\n');
      await ended;
      return parseResponse(received);
    },
  };
}

const until = async (condition: () => boolean) => {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
};

/**
 * Whether every byte the client (on `clientPort`) sent to the server (on `serverPort`) has
 * been read by the server process: nothing left unacknowledged on the client's side, nothing
 * waiting in the server's receive queue (a connection not yet accepted keeps its bytes there).
 * Linux's /proc/net/tcp; loopback IPv4.
 */
function readByServer(serverPort: number, clientPort: number): boolean {
  const hex = (port: number) => port.toString(16).toUpperCase().padStart(4, '0');
  const rows = readFileSync('/proc/net/tcp', 'utf8')
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/));
  const queues = (local: number, remote: number) => rows.find((r) => r[1]?.endsWith(`:${hex(local)}`) && r[2]?.endsWith(`:${hex(remote)}`))?.[4];
  const client = queues(clientPort, serverPort);
  const server = queues(serverPort, clientPort);
  return client !== undefined && server !== undefined && client.split(':')[0] === '00000000' && server.split(':')[1] === '00000000';
}

function parseResponse(raw: string): RawResponse {
  const [head, ...rest] = raw.split('\r\n\r\n');
  const [statusLine, ...lines] = head!.split('\r\n');
  const headers = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
  return { status: Number(statusLine!.split(' ')[1] ?? 0), headers, body: rest.join('\r\n\r\n') };
}

export interface WsSubscriber {
  /** `next` payloads received so far. */
  results: unknown[];
  /** Resolves with the close code once the socket has closed. */
  closed: Promise<{ code: number; reason: string }>;
}

/** A graphql-transport-ws subscriber, spoken by hand so the test sees the raw close code; resolves after the first `next`. */
export async function subscribeOverWebSocket(baseUrl: string, query: string, variables: Record<string, unknown>): Promise<WsSubscriber> {
  const socket = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws');
  const results: unknown[] = [];
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  let firstNext: () => void;
  const gotFirst = new Promise<void>((resolve) => (firstNext = resolve));
  socket.on('message', (data) => {
    const message = JSON.parse(data.toString()) as { type: string; payload?: unknown };
    if (message.type === 'connection_ack') socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query, variables } }));
    if (message.type === 'next') {
      results.push(message.payload);
      firstNext();
    }
  });
  socket.once('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: {} })));
  await Promise.race([gotFirst, closed.then(({ code }) => Promise.reject(new Error(`the socket closed (${code}) before its first result`)))]);
  return { results, closed };
}
