/**
 * Test harness: a real sandbox and a real gateway, each listening on a free loopback
 * port, and a small GraphQL-over-HTTP client. Tests talk to the gateway over HTTP, except
 * the schema-level ones, which call yoga's fetch with no socket (./gateway-fetch.ts).
 */
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print, type DocumentNode } from 'graphql';
import { Writable } from 'node:stream';
import { createApp, listen, type App, type AppOverrides } from '../../src/app.js';
import type { Upstream } from '../../src/services.js';
import { loadConfig, type Config } from '../../src/config.js';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/server.js';
import { closeServer } from './loopback.js';

export { newReference } from './references.js';

/** Sends one operation and returns the parsed body and HTTP status. */
export type GraphQLCall = <TData = any, TVars = Record<string, unknown>>(
  document: TypedDocumentNode<TData, TVars> | DocumentNode | string,
  variables?: TVars,
  headers?: Record<string, string>,
) => Promise<GraphQLResponse<TData>>;

/** A gateway listening on a loopback port, in front of any upstream. */
export interface Gateway {
  app: App;
  url: string;
  /** POSTs one operation to /graphql. */
  gql: GraphQLCall;
  /** Every log line the gateway wrote, when started with `captureLogs`. */
  logs(): string[];
  close(): Promise<void>;
}

/** A gateway in front of its own (or a shared) sandbox. */
export interface Stack extends Gateway {
  sandbox: Sandbox;
}

export interface GraphQLResponse<TData> {
  status: number;
  data: TData;
  errors?: { message: string; path?: string[]; extensions?: Record<string, any> }[];
  extensions?: Record<string, any>;
}

export interface GatewayOptions {
  env?: Record<string, string>;
  overrides?: AppOverrides;
  /** Default headers on every request (e.g. an API key). */
  headers?: Record<string, string>;
  /** Keep the gateway's log lines (at LOG_LEVEL, default info) for `logs()`. */
  captureLogs?: boolean;
}

export interface StackOptions extends GatewayOptions {
  sandbox?: SandboxOptions;
  /** Reuse a running sandbox (e.g. two gateways on one upstream). */
  sharedSandbox?: Sandbox;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const sandbox = options.sharedSandbox ?? (await startSandbox(options.sandbox));
  const gateway = await startGateway(upstreamOf(sandbox), options);
  return {
    ...gateway,
    sandbox,
    async close() {
      await gateway.close();
      if (!options.sharedSandbox) await sandbox.close();
    },
  };
}

/** A gateway on a free loopback port in front of `upstream`: a sandbox, or a test's stub KS Pay. */
export async function startGateway(upstream: Upstream, options: GatewayOptions = {}): Promise<Gateway> {
  const { app, logs } = createTestApp(upstream, options);
  const { server, url } = await listen(app, 0);
  return {
    app,
    url,
    gql: (document, variables, headers) => postGraphQL(`${url}/graphql`, document, variables as Record<string, unknown>, { ...options.headers, ...headers }),
    logs,
    async close() {
      app.websocket.close(); // upgraded sockets are not the HTTP server's to close
      await closeServer(server);
      await app.close();
    },
  };
}

/** The app as `src/app.ts` assembles it for `upstream`, silent unless its log lines are kept for the test. */
export function createTestApp(upstream: Upstream, options: GatewayOptions = {}): { app: App; config: Config; logs(): string[] } {
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
  const app = createApp(config, upstream, { logDestination, ...options.overrides });
  return { app, config: app.config, logs: () => [...lines] };
}

/** Where a gateway reaches the sandbox, and with which merchant credentials. */
export function upstreamOf(sandbox: Sandbox): Upstream {
  return { baseUrl: sandbox.url, credentials: sandbox.credentials };
}

export async function postGraphQL<TData>(
  endpoint: string,
  document: DocumentNode | string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<TData>> {
  return readGraphQLResponse(await fetch(graphQLRequest(endpoint, document, variables, headers)));
}

/** One operation as a JSON POST that asks for application/graphql-response+json. */
export function graphQLRequest(
  endpoint: string,
  document: DocumentNode | string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = {},
): Request {
  const query = typeof document === 'string' ? document : print(document);
  return new Request(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
}

export async function readGraphQLResponse<TData>(response: Response): Promise<GraphQLResponse<TData>> {
  const body = (await response.json()) as Omit<GraphQLResponse<TData>, 'status'>;
  return { status: response.status, ...body };
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
