/**
 * The front door's execution stage: a POSTed operation whose body and document the cache
 * stage has already read and resolved (./cached-graphql.ts) runs here, through yoga's own
 * operation pipeline (`getResultForParams`: its params hooks, parse and validation caches,
 * context, masking, limits and result hooks, exactly as its HTTP handler calls them), and
 * its answer is written straight to node:http. What this skips is only the WHATWG layer
 * yoga's node adapter wraps around that pipeline: a Request built from the node request
 * and a Response written back, which cost a payment ~45 µs of CPU on the bench's initiate.
 *
 * It takes only what it can answer exactly as yoga would: a JSON object body, a resolved
 * document that holds no subscription, parameters yoga would accept, and an Accept header yoga
 * would answer with JSON. Everything else (a batch, a refusal, an odd parameter, a
 * subscription, a client that takes only streams or multipart) goes on to yoga, untouched.
 * Once an operation has started it is answered here, whatever happens: nothing runs twice.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isAsyncIterable, processRegularResult, type GraphQLParams } from 'graphql-yoga';
import type { ExecutionResult } from 'graphql';
import { isDocumentTooLarge } from '../plugins/use-document-size-limit.js';
import { subscriptionNeedsStream } from '../plugins/use-subscription-transport-hint.js';
import type { Logger } from '../observability/logger.js';
import type { ServerContext } from '../server-context.js';
import type { GatewayYoga } from '../yoga.js';
import type { Exchange, Stage } from './exchange.js';
import { failed, headersOf } from './request-io.js';

export interface PostedOperationDeps {
  yoga: GatewayYoga;
  /** MAX_DOCUMENT_BYTES: a larger resolved document is yoga's to refuse. */
  maxDocumentBytes: number;
  clientAddress?: (req: IncomingMessage) => string;
  logger: Logger;
}

/** The JSON media types yoga's regular result processor answers with. */
type JsonMediaType = 'application/json' | 'application/graphql-response+json';

export function createPostedOperation(deps: PostedOperationDeps): Stage {
  const { yoga, logger } = deps;
  return (x, next) => {
    const params = x.req.method === 'POST' ? x.parsedBody && x.document?.document?.params : undefined;
    const mediaType = params && acceptsParams(params, deps.maxDocumentBytes) ? jsonMediaTypeOf(x.req.headers.accept) : null;
    if (!params || !mediaType) return next(x);
    run(yoga, x, mediaType, deps.clientAddress).catch((error: unknown) => failed(x.res, logger, x.requestId, error));
  };
}

async function run(yoga: GatewayYoga, x: Exchange, mediaType: JsonMediaType, clientAddress: PostedOperationDeps['clientAddress']) {
  const { req, res, requestId, caller, document, parsedBody } = x;
  const request = lightRequest(req, res);
  const context: ServerContext & { request: Request } = { requestId, caller, clientAddress: clientAddress?.(req), document, parsedBody, request };
  // The params as the client sent them: yoga's persisted-documents hook swaps in the resolved ones, as on its own path.
  const result = await yoga.getResultForParams({ params: parsedBody!, request }, context);
  // A stream cannot be written as JSON (subscriptions go to yoga; this only guards the rule): the answer yoga's would be.
  if (result && isAsyncIterable(result)) return write(res, subscriptionNeedsStream(result, yoga.fetchAPI));
  const single = result as ExecutionResult & { stringify?: (result: ExecutionResult) => string };
  if (!single.errors?.length && !single.extensions?.http) {
    // What yoga's regular processor writes for an answer without errors, without building a Response for it.
    const body = (single.stringify ?? JSON.stringify)(single);
    return void res.writeHead(200, { 'content-type': `${mediaType}; charset=utf-8`, 'content-length': Buffer.byteLength(body) }).end(body);
  }
  // Errors: yoga's own processor decides the status and strips what is internal.
  await write(res, processRegularResult(single, yoga.fetchAPI, mediaType));
}

async function write(res: ServerResponse, response: Response): Promise<void> {
  const body = Buffer.from(await response.arrayBuffer());
  res.writeHead(response.status, { ...Object.fromEntries(response.headers), 'content-length': body.length }).end(body);
}

/**
 * What yoga's hooks and our context read of a request: its method, URL, headers (built only
 * if asked for) and a signal that aborts when the client goes before its answer is written,
 * as whatwg-node's does (an abort builds a DOMException, ~15 µs: not for every answer).
 */
function lightRequest(req: IncomingMessage, res: ServerResponse): Request {
  const controller = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  let headers: Headers | undefined;
  return {
    method: 'POST',
    url: `http://gateway${req.url ?? '/graphql'}`,
    signal: controller.signal,
    get headers() {
      headers ??= headersOf(req);
      return headers;
    },
  } as Request;
}

/** yoga's parameters (graphql-yoga's `checkGraphQLQueryParams`, with `documentId`): anything else is yoga's to refuse. */
const PARAMETER_TYPES: Record<string, (value: unknown) => boolean> = {
  query: (value) => typeof value === 'string',
  variables: isObject,
  operationName: (value) => typeof value === 'string',
  extensions: isObject,
  documentId: () => true,
};

/** A document that may hold a subscription: its stream is yoga's result processors' to choose (SSE, or the 406 that says how). */
const MAY_SUBSCRIBE = /\bsubscription\b/;

function acceptsParams(params: GraphQLParams, maxDocumentBytes: number): boolean {
  if (typeof params.query !== 'string' || isDocumentTooLarge(params.query, maxDocumentBytes) || MAY_SUBSCRIBE.test(params.query)) return false;
  for (const [name, value] of Object.entries(params)) {
    if (value === null || value === undefined) continue;
    if (!Object.hasOwn(PARAMETER_TYPES, name) || !PARAMETER_TYPES[name]!(value)) return false;
  }
  return true;
}

function isObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The media type yoga answers a single result with, read from Accept the way its result
 * processors read it (graphql-yoga's `useResultProcessors`): the first listed type, in utf-8,
 * that either JSON type matches, application/json when both do. Null when none does (yoga
 * would answer a stream, multipart or 406).
 */
export function jsonMediaTypeOf(accept: string | undefined): JsonMediaType | null {
  for (const entry of (accept || '*/*').replace(/\s/g, '').toLowerCase().split(',')) {
    const [mediaType = '', ...parameters] = entry.split(';');
    const charset = parameters.find((parameter) => parameter.includes('charset=')) ?? 'charset=utf-8';
    if (charset !== 'charset=utf-8') continue;
    if (matches(mediaType, 'application/json')) return 'application/json';
    if (matches(mediaType, 'application/graphql-response+json')) return 'application/graphql-response+json';
  }
  return null;
}

function matches(asked: string, offered: string): boolean {
  const [type, subtype] = asked.split('/');
  const [offeredType, offeredSubtype] = offered.split('/');
  return (type === '*' || type === offeredType) && (subtype === '*' || subtype === offeredSubtype);
}
