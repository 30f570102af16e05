/**
 * The gateway's expected failures. Each class says explicitly what it tells a client
 * (`toExtensions`) and what an idempotency record keeps of it (`toRecord`), so a field
 * added to an error never reaches a client or a store by accident. They know nothing of
 * GraphQL: src/schema/error-types.ts exposes each as an object type implementing `Error`,
 * and src/errors/mask.ts puts `toExtensions()` into a GraphQL error's extensions.
 */

import { SCHEMA_ERROR_CODES } from './registry.js';

/** The codes the error classes carry; the schema's `ErrorCode` enum lists the same (./registry.ts marks them). */
export const ERROR_CODES = SCHEMA_ERROR_CODES;
export type ErrorCode = (typeof ERROR_CODES)[number];

type Plain = string | number | boolean | null;

/** A gateway error as an idempotency record stores it: plain data, restored by `restoreGatewayError`. */
export interface StoredError {
  type: 'ValidationError' | 'NotFoundError' | 'UpstreamRejectedError' | 'UpstreamUnavailableError' | 'IdempotencyConflictError' | 'SignatureInvalidError';
  message: string;
  fields: Record<string, Plain>;
}

export abstract class GatewayError extends Error {
  abstract readonly code: ErrorCode;
  /** The KS Pay code behind this error, when the upstream gave one. */
  abstract readonly upstreamCode: number | null;

  /** What a client sees in a GraphQL error's `extensions` (nulls left out). */
  toExtensions(): Record<string, Plain> {
    const extensions: Record<string, Plain> = { code: this.code };
    for (const [key, value] of Object.entries(this.publicFields())) if (value !== null) extensions[key] = value;
    return extensions;
  }

  /** What an idempotency record keeps of this error. */
  toRecord(): StoredError {
    return { type: this.name as StoredError['type'], message: this.message, fields: this.publicFields() };
  }

  /** The fields a client may see, beside `code` and `message`: listed by each class. */
  protected abstract publicFields(): Record<string, Plain>;
}

export class ValidationError extends GatewayError {
  readonly code = 'VALIDATION';
  constructor(
    /** The input path of the offending field, e.g. `input.amount`. */
    readonly field: string,
    message: string,
    readonly upstreamCode: number | null = null,
  ) {
    super(message);
    this.name = 'ValidationError';
  }

  protected publicFields() {
    return { field: this.field, upstreamCode: this.upstreamCode };
  }
}

export class NotFoundError extends GatewayError {
  readonly code = 'NOT_FOUND';
  constructor(
    readonly resource: string,
    readonly id: string,
    readonly upstreamCode: number | null = null,
  ) {
    super(id ? `${resource} ${id} was not found` : `${resource} was not found`);
    this.name = 'NotFoundError';
  }

  protected publicFields() {
    return { resource: this.resource, id: this.id || null, upstreamCode: this.upstreamCode };
  }
}

export class UpstreamRejectedError extends GatewayError {
  readonly code = 'UPSTREAM_REJECTED';
  constructor(
    message: string,
    readonly upstreamCode: number | null,
    readonly httpStatus: number,
    /** The input field the rejection is about, when known. */
    readonly field: string | null = null,
  ) {
    super(message);
    this.name = 'UpstreamRejectedError';
  }

  protected publicFields() {
    return { upstreamCode: this.upstreamCode, httpStatus: this.httpStatus, field: this.field };
  }
}

export class UpstreamUnavailableError extends GatewayError {
  readonly code = 'UPSTREAM_UNAVAILABLE';
  constructor(
    message: string,
    /** True when the same call, made again later, can succeed. */
    readonly retryable: boolean,
    readonly upstreamCode: number | null = null,
    /** How long to wait before retrying, when known. */
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
    this.name = 'UpstreamUnavailableError';
  }

  protected publicFields() {
    return { retryable: this.retryable, upstreamCode: this.upstreamCode, retryAfterMs: this.retryAfterMs };
  }
}

export class IdempotencyConflictError extends GatewayError {
  readonly code = 'IDEMPOTENCY_CONFLICT';
  readonly upstreamCode = null;
  constructor(readonly referenceNumber: string) {
    super(`referenceNumber ${referenceNumber} was already used for a different transaction; use a new reference for a new payment`);
    this.name = 'IdempotencyConflictError';
  }

  protected publicFields() {
    return { referenceNumber: this.referenceNumber };
  }
}

/** OTHER_CLIENT: the gateway issued the signature to another API key. */
export type SignatureProblem = 'EXPIRED' | 'MALFORMED' | 'LOST' | 'OTHER_CLIENT';

export class SignatureInvalidError extends GatewayError {
  readonly code = 'SIGNATURE_INVALID';
  constructor(
    readonly reason: SignatureProblem,
    message: string,
    readonly upstreamCode: number | null = null,
  ) {
    super(message);
    this.name = 'SignatureInvalidError';
  }

  protected publicFields() {
    return { reason: this.reason, upstreamCode: this.upstreamCode };
  }
}

/** Rebuilds an error an idempotency record kept, through its own constructor. */
export function restoreGatewayError({ type, message, fields: f }: StoredError): GatewayError {
  const text = (value: Plain | undefined) => (typeof value === 'string' ? value : null);
  const int = (value: Plain | undefined) => (typeof value === 'number' ? value : null);
  switch (type) {
    case 'ValidationError':
      return new ValidationError(text(f.field) ?? 'input', message, int(f.upstreamCode));
    case 'NotFoundError': {
      const error = new NotFoundError(text(f.resource) ?? 'Resource', text(f.id) ?? '', int(f.upstreamCode));
      error.message = message;
      return error;
    }
    case 'UpstreamUnavailableError':
      return new UpstreamUnavailableError(message, f.retryable === true, int(f.upstreamCode), int(f.retryAfterMs));
    case 'IdempotencyConflictError':
      return new IdempotencyConflictError(text(f.referenceNumber) ?? '');
    case 'SignatureInvalidError':
      return new SignatureInvalidError((text(f.reason) as SignatureProblem | null) ?? 'MALFORMED', message, int(f.upstreamCode));
    default:
      return new UpstreamRejectedError(message, int(f.upstreamCode), int(f.httpStatus) ?? 400, text(f.field));
  }
}
