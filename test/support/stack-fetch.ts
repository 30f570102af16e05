/**
 * The gateway without its socket, for schema-level tests (schema shape, argument validation,
 * union members, scalar parsing): `startStack({ transport: 'fetch' })`. Operations go straight
 * to yoga's `fetch`, as the front door hands them over (src/http/front-door.ts), with a request
 * id and the caller its API key proves. The sandbox is still a real HTTP server. Whatever the
 * front door does (refusals, body framing, CORS, the response cache, SSE and WebSocket) is
 * tested over HTTP.
 */
import { createAuthenticator } from '../../src/http/auth.js';
import type { ServerContext } from '../../src/server-context.js';
import { graphQLRequest, readGraphQLResponse } from './graphql-http.js';
import type { FetchStack, TestApp } from './stack.js';

export function startFetchGateway({ app, config, logs }: TestApp, defaultHeaders: Record<string, string> = {}): Omit<FetchStack, 'sandbox'> {
  const authenticate = createAuthenticator(config.auth.apiKeys);
  let requests = 0;
  return {
    app,
    logs,
    async gql(document, variables, headers) {
      const request = graphQLRequest('http://gateway/graphql', document, variables as Record<string, unknown>, { ...defaultHeaders, ...headers });
      const caller = authenticate(Object.fromEntries(request.headers));
      // Refusing a key is the front door's work, before yoga: a test of it belongs over HTTP.
      if (typeof caller === 'string') throw new Error(`the front door would refuse this request (${caller})`);
      const context: ServerContext = { requestId: `fetch-${++requests}`, caller };
      return readGraphQLResponse(await app.yoga.fetch(request, context));
    },
    close: () => app.close(),
  };
}
