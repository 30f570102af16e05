/**
 * One HTTP request on its way through the front door's stages (./front-door.ts): what each
 * stage learned, for the next. A stage either answers the request or hands it on.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GraphQLParams } from 'graphql-yoga';
import type { DocumentResolution } from '../server-context.js';
import type { Caller } from './auth.js';

export interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  startedAt: number;
  /** Set by the first stage, and on the response there. */
  requestId: string;
  /** The body's declared length, once framing checked it against MAX_BODY_BYTES. */
  bodyBytes: number;
  /** Who is calling, once authenticated; null only for GraphiQL's page, which runs nothing. */
  caller: Caller | null;
  /** The body, when the cache stage read it (yoga then takes it pre-read). */
  body?: Buffer;
  /** The document the request runs, when the cache stage resolved it (yoga applies it). */
  document?: DocumentResolution;
  /** The body as the cache stage parsed it, when it is a JSON object (yoga then does not parse it again). */
  parsedBody?: GraphQLParams;
}

/** A stage of the pipeline: answers the exchange, or calls `next` with it. */
export type Stage = (exchange: Exchange, next: (exchange: Exchange) => void) => void;

/** The stages as one handler, each one's `next` bound once, here (no closure per request). */
export function pipeline(stages: readonly Stage[]): (exchange: Exchange) => void {
  return stages.reduceRight<(exchange: Exchange) => void>(
    (next, stage) => (exchange) => stage(exchange, next),
    () => {
      throw new Error('the last stage of a pipeline must answer');
    },
  );
}
