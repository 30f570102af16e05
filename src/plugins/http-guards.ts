/**
 * Checks on the HTTP request before GraphQL sees it: a body size cap, and CSRF
 * prevention. A browser can send a cross-site POST without a CORS preflight only with
 * a "simple" content type (form, multipart, text/plain), so POSTs must be JSON; GET
 * may only run queries (yoga refuses mutations over GET), which cannot change anything.
 */
import type { Plugin } from 'graphql-yoga';

const JSON_TYPES = ['application/json', 'application/graphql-response+json'];

export function useHttpGuards({ maxBodyBytes }: { maxBodyBytes: number }): Plugin {
  return {
    onRequest({ request, url, endResponse, fetchAPI }) {
      if (request.method !== 'POST' || !url.pathname.endsWith('/graphql')) return;
      const refuse = (status: number, message: string) =>
        endResponse(
          new fetchAPI.Response(JSON.stringify({ errors: [{ message, extensions: { code: 'BAD_REQUEST' } }] }), {
            status,
            headers: { 'content-type': 'application/json; charset=utf-8' },
          }),
        );

      const contentType = request.headers.get('content-type')?.split(';')[0].trim().toLowerCase() ?? '';
      if (!JSON_TYPES.includes(contentType)) {
        return refuse(415, 'POST requests must have Content-Type: application/json');
      }
      const length = request.headers.get('content-length');
      if (length === null) return refuse(411, 'POST requests must send a Content-Length');
      if (Number(length) > maxBodyBytes) {
        return refuse(413, `The request body exceeds ${maxBodyBytes} bytes`);
      }
    },
  };
}
