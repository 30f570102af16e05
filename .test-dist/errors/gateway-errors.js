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
export class GatewayError extends Error {
    /** What a client sees in a GraphQL error's `extensions` (nulls left out). */
    toExtensions() {
        const extensions = { code: this.code };
        for (const [key, value] of Object.entries(this.publicFields()))
            if (value !== null)
                extensions[key] = value;
        return extensions;
    }
    /** What an idempotency record keeps of this error. */
    toRecord() {
        return { type: this.name, message: this.message, fields: this.publicFields() };
    }
}
export class ValidationError extends GatewayError {
    field;
    upstreamCode;
    code = 'VALIDATION';
    constructor(
    /** The input path of the offending field, e.g. `input.amount`. */
    field, message, upstreamCode = null) {
        super(message);
        this.field = field;
        this.upstreamCode = upstreamCode;
        this.name = 'ValidationError';
    }
    publicFields() {
        return { field: this.field, upstreamCode: this.upstreamCode };
    }
}
export class NotFoundError extends GatewayError {
    resource;
    id;
    upstreamCode;
    code = 'NOT_FOUND';
    constructor(resource, id, upstreamCode = null) {
        super(id ? `${resource} ${id} was not found` : `${resource} was not found`);
        this.resource = resource;
        this.id = id;
        this.upstreamCode = upstreamCode;
        this.name = 'NotFoundError';
    }
    publicFields() {
        return { resource: this.resource, id: this.id || null, upstreamCode: this.upstreamCode };
    }
}
export class UpstreamRejectedError extends GatewayError {
    upstreamCode;
    httpStatus;
    field;
    code = 'UPSTREAM_REJECTED';
    constructor(message, upstreamCode, httpStatus, 
    /** The input field the rejection is about, when known. */
    field = null) {
        super(message);
        this.upstreamCode = upstreamCode;
        this.httpStatus = httpStatus;
        this.field = field;
        this.name = 'UpstreamRejectedError';
    }
    publicFields() {
        return { upstreamCode: this.upstreamCode, httpStatus: this.httpStatus, field: this.field };
    }
}
export class UpstreamUnavailableError extends GatewayError {
    retryable;
    upstreamCode;
    retryAfterMs;
    code = 'UPSTREAM_UNAVAILABLE';
    constructor(message, 
    /** True when the same call, made again later, can succeed. */
    retryable, upstreamCode = null, 
    /** How long to wait before retrying, when known. */
    retryAfterMs = null) {
        super(message);
        this.retryable = retryable;
        this.upstreamCode = upstreamCode;
        this.retryAfterMs = retryAfterMs;
        this.name = 'UpstreamUnavailableError';
    }
    publicFields() {
        return { retryable: this.retryable, upstreamCode: this.upstreamCode, retryAfterMs: this.retryAfterMs };
    }
}
export class IdempotencyConflictError extends GatewayError {
    referenceNumber;
    code = 'IDEMPOTENCY_CONFLICT';
    upstreamCode = null;
    constructor(referenceNumber) {
        super(`referenceNumber ${referenceNumber} was already used for a different transaction; use a new reference for a new payment`);
        this.referenceNumber = referenceNumber;
        this.name = 'IdempotencyConflictError';
    }
    publicFields() {
        return { referenceNumber: this.referenceNumber };
    }
}
export class SignatureInvalidError extends GatewayError {
    reason;
    upstreamCode;
    code = 'SIGNATURE_INVALID';
    constructor(reason, message, upstreamCode = null) {
        super(message);
        this.reason = reason;
        this.upstreamCode = upstreamCode;
        this.name = 'SignatureInvalidError';
    }
    publicFields() {
        return { reason: this.reason, upstreamCode: this.upstreamCode };
    }
}
/** Rebuilds an error an idempotency record kept, through its own constructor. */
export function restoreGatewayError({ type, message, fields: f }) {
    const text = (value) => (typeof value === 'string' ? value : null);
    const int = (value) => (typeof value === 'number' ? value : null);
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
            return new SignatureInvalidError(text(f.reason) ?? 'MALFORMED', message, int(f.upstreamCode));
        default:
            return new UpstreamRejectedError(message, int(f.upstreamCode), int(f.httpStatus) ?? 400, text(f.field));
    }
}
