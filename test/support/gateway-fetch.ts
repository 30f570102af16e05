/**
 * The gateway without its socket, for schema-level tests (schema shape, argument validation,
 * union members, scalar parsing): operations go straight to yoga's `fetch`, as the front door
 * hands them over (src/http/front-door.ts), with a request id and the caller its API key
 * proves. The sandbox is still a real HTTP server. Whatever the front door does (refusals,
 * body framing, CORS, the response cache, its logs, SSE and WebSocket) is tested over HTTP.
 */
import type { App } from '../../src/app.js';
import { createAuthenticator } from '../../src/http/auth.js';
import type { ServerContext } from '../../src/server-context.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/server.js';
import { createTestApp, graphQLRequest, readGraphQLResponse, upstreamOf, type GraphQLCall, type StackOptions } from './harness.js';

export interface FetchStack {
  sandbox: Sandbox;
  app: App;
  /** Runs one operation through yoga's fetch (POST /graphql, no socket). */
  gql: GraphQLCall;
  close(): Promise<void>;
}

export type FetchStackOptions = Omit<StackOptions, 'captureLogs'>;

export async function startFetchStack(options: FetchStackOptions = {}): Promise<FetchStack> {
  const sandbox = options.sharedSandbox ?? (await startSandbox(options.sandbox));
  const { app, config } = createTestApp(upstreamOf(sandbox), options);
  const authenticate = createAuthenticator(config.auth.apiKeys);
  let requests = 0;
  return {
    sandbox,
    app,
    async gql(document, variables, headers) {
      const request = graphQLRequest('http://gateway/graphql', document, variables as Record<string, unknown>, { ...options.headers, ...headers });
      const caller = authenticate(Object.fromEntries(request.headers));
      // Refusing a key is the front door's work, before yoga: a test of it belongs over HTTP.
      if (typeof caller === 'string') throw new Error(`the front door would refuse this request (${caller})`);
      const context: ServerContext = { requestId: `fetch-${++requests}`, caller };
      return readGraphQLResponse(await app.yoga.fetch(request, context));
    },
    async close() {
      await app.close();
      if (!options.sharedSandbox) await sandbox.close();
    },
  };
}
