/**
 * A subscription sent as a plain JSON request cannot be answered: yoga says 406 with an
 * empty body, which tells a newcomer nothing. This answers the same 406 with a GraphQL
 * error that says how to subscribe, and ends the subscription it was given at once (it
 * would otherwise keep its MAX_SUBSCRIPTIONS_PER_KEY place and its poll until collected).
 */
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import { errorBody, statusOf } from '../errors/registry.js';

export const SUBSCRIBE_HOW =
  'A subscription needs a streaming transport: send it with "Accept: text/event-stream" (Server-Sent Events), or over a WebSocket (graphql-ws) on this same path';

export function useSubscriptionTransportHint(): Plugin {
  return {
    onResultProcess({ result, resultProcessor, setResultProcessor }) {
      if (resultProcessor || !isAsyncIterable(result)) return;
      setResultProcessor((iterable, fetchAPI) => subscriptionNeedsStream(iterable, fetchAPI), 'application/json');
    },
  };
}

/** The answer to a subscription that came as a plain JSON request (also the front door's: src/http/posted-operation.ts). */
export function subscriptionNeedsStream(iterable: unknown, fetchAPI: { Response: typeof Response }): Response {
  void (iterable as AsyncIterableIterator<unknown>).return?.();
  return new fetchAPI.Response(errorBody('BAD_REQUEST', SUBSCRIBE_HOW), {
    status: statusOf('BAD_REQUEST', 406),
    headers: { 'content-type': 'application/json; charset=utf-8', accept: 'text/event-stream' },
  });
}
