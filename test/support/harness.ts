/**
 * Test harness: a real sandbox and a real gateway, each listening on a free loopback
 * port, and a small GraphQL-over-HTTP client. Tests talk to the gateway only over HTTP.
 */
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print, type DocumentNode } from 'graphql';
import type { Server } from 'node:http';
import { Writable } from 'node:stream';
import { createApp, listen, type App, type AppOverrides } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/server.js';

export interface Stack {
  sandbox: Sandbox;
  app: App;
  url: string;
  /** POSTs one operation to /graphql and returns the parsed body and HTTP status. */
  gql<TData = any, TVars = Record<string, unknown>>(
    document: TypedDocumentNode<TData, TVars> | DocumentNode | string,
    variables?: TVars,
    headers?: Record<string, string>,
  ): Promise<GraphQLResponse<TData>>;
  /** Every log line the gateway wrote, when started with `captureLogs`. */
  logs(): string[];
  close(): Promise<void>;
}

export interface GraphQLResponse<TData> {
  status: number;
  data: TData;
  errors?: { message: string; path?: string[]; extensions?: Record<string, any> }[];
  extensions?: Record<string, any>;
}

export interface StackOptions {
  env?: Record<string, string>;
  sandbox?: SandboxOptions;
  /** Reuse a running sandbox (e.g. two gateways on one upstream). */
  sharedSandbox?: Sandbox;
  overrides?: AppOverrides;
  /** Default headers on every request (e.g. an API key). */
  headers?: Record<string, string>;
  /** Keep the gateway's log lines (at LOG_LEVEL, default info) for `logs()`. */
  captureLogs?: boolean;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const sandbox = options.sharedSandbox ?? (await startSandbox(options.sandbox));
  const lines: string[] = [];
  const config = loadConfig({ LOG_LEVEL: options.captureLogs ? 'info' : 'silent', ...options.env });
  const logDestination = options.captureLogs
    ? new Writable({
        write(chunk: Buffer, _encoding, done) {
          lines.push(...chunk.toString().split('\n').filter(Boolean));
          done();
        },
      })
    : undefined;
  const app = createApp(config, { baseUrl: sandbox.url, credentials: sandbox.credentials }, { logDestination, ...options.overrides });
  const { server, url } = await listen(app, 0);

  return {
    sandbox,
    app,
    url,
    gql: (document, variables, headers) =>
      postGraphQL(`${url}/graphql`, document, variables as Record<string, unknown>, { ...options.headers, ...headers }),
    logs: () => [...lines],
    async close() {
      app.websocket.close(); // upgraded sockets are not the HTTP server's to close
      await closeServer(server);
      await app.close();
      if (!options.sharedSandbox) await sandbox.close();
    },
  };
}

export async function postGraphQL<TData>(
  endpoint: string,
  document: DocumentNode | string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<TData>> {
  const query = typeof document === 'string' ? document : print(document);
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as Omit<GraphQLResponse<TData>, 'status'>;
  return { status: response.status, ...body };
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

let references = 0;
/** A referenceNumber unique to this test run. */
export function newReference(prefix = 'order'): string {
  references += 1;
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${references}`;
}

/** Presses Pay or Decline on the sandbox's hosted checkout page; returns where the browser is sent. */
export async function pressCheckout(checkoutUrl: string, action: 'pay' | 'decline'): Promise<URL> {
  const response = await fetch(checkoutUrl, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ action }),
  });
  if (response.status !== 303) throw new Error(`checkout answered ${response.status}`);
  return new URL(response.headers.get('location')!);
}
