/**
 * What every endpoint handler sees and returns. Handlers are plain functions from a
 * parsed request to a result, or an ApiError; server.ts does all the HTTP.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { ID_LENGTH, ID_PREFIX, type IdKind, KSPAY_CODES, isWellFormedId } from '../kspay/types.js';
import type { SandboxStore } from './store.js';
import type { Shapes } from './views.js';

export interface ApiRequest {
  /** Path parameters, percent-decoded. */
  params: Readonly<Record<string, string>>;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** A JSON or form-encoded body as an object; {} when there was none. */
  body: Readonly<Record<string, unknown>>;
  /** The body exactly as received: the initiate x-signature is an HMAC over it. */
  rawBody: string;
}

export interface ApiContext {
  store: SandboxStore;
  shapes: Shapes;
  /** Base for checkout URLs, no trailing slash. */
  publicUrl: string;
  /** The `misrecord` fault met by this request (./faults.ts). */
  misrecord?: { amount?: string; currencyId?: string };
}

export interface ApiResult {
  status: number;
  result: unknown;
}

export type Handler = (request: ApiRequest, context: ApiContext) => ApiResult;

/** A documented KS Pay error: HTTP status, numeric code, message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** -17: the id has the wrong prefix or length (the documented message). */
export function malformedId(kind: IdKind): ApiError {
  return new ApiError(400, KSPAY_CODES.ID_MALFORMED, `ID must start with '${ID_PREFIX[kind]}' and be ${ID_LENGTH} characters long`);
}

/** Throws -17 unless `value` is a well-formed id of `kind`. */
export function requireId(kind: IdKind, value: unknown): string {
  if (typeof value !== 'string' || !isWellFormedId(kind, value)) throw malformedId(kind);
  return value;
}

/** One header's value (the first, when repeated). */
export function header(request: ApiRequest, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** A non-empty string field of the body, or undefined. */
export function stringField(body: ApiRequest['body'], ...names: string[]): string | undefined {
  for (const name of names) {
    const value = body[name];
    if (typeof value === 'string' && value.trim() !== '') return value;
  }
  return undefined;
}
