/**
 * A POST body the front door has already parsed (its cache stage resolves the document before
 * yoga runs: src/http/cached-graphql.ts) is handed to yoga as it is, not parsed a second time.
 * Only where yoga itself would parse the body as JSON: any other request keeps yoga's parser,
 * and so its answer (415, a parse error).
 */
import type { Plugin } from 'graphql-yoga';
import type { ServerContext } from '../server-context.js';

export function useParsedBody(): Plugin<Record<string, unknown>, Partial<ServerContext>> {
  return {
    onRequestParse({ request, serverContext, requestParser, setRequestParser }) {
      const parsed = serverContext.parsedBody;
      // yoga's own parsers are registered before this plugin: `requestParser` is set only for a body it reads.
      if (parsed && requestParser && request.method === 'POST') setRequestParser(() => parsed);
    },
  };
}
