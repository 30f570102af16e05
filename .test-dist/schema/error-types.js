/**
 * The `Error` interface and one object type per expected failure. Fields that list
 * these classes in `errors.types` return them as union members instead of throwing.
 */
import { ERROR_CODES, IdempotencyConflictError, NotFoundError, SignatureInvalidError, UpstreamRejectedError, UpstreamUnavailableError, ValidationError, } from '../errors/gateway-errors.js';
import { builder } from './builder.js';
export const ErrorCode = builder.enumType('ErrorCode', {
    values: ERROR_CODES,
    description: 'A stable, machine-readable error code; new codes may be added, so always handle an unknown one.',
});
export const ErrorInterface = builder.interfaceRef('Error').implement({
    description: 'Every expected failure: a human message and a stable code. Always select `... on Error { code message }` ' +
        'beside the members you handle, so a union member added later never breaks an exhaustive switch.',
    fields: (t) => ({
        message: t.exposeString('message'),
        code: t.expose('code', { type: ErrorCode }),
    }),
});
builder.objectType(ValidationError, {
    name: 'ValidationError',
    description: 'The input was refused before any call to KS Pay (or KS Pay refused it as invalid).',
    interfaces: [ErrorInterface],
    fields: (t) => ({
        field: t.exposeString('field', {
            // Nullable only so it can share a selection with UpstreamRejectedError.field.
            nullable: true,
            description: 'Path of the offending input, e.g. "input.amount". Always set.',
        }),
        upstreamCode: t.exposeInt('upstreamCode', { nullable: true }),
    }),
});
builder.objectType(NotFoundError, {
    name: 'NotFoundError',
    interfaces: [ErrorInterface],
    fields: (t) => ({
        resource: t.exposeString('resource'),
        upstreamCode: t.exposeInt('upstreamCode', { nullable: true }),
    }),
});
builder.objectType(UpstreamRejectedError, {
    name: 'UpstreamRejectedError',
    description: 'KS Pay refused the request. Retrying the same request gets the same answer.',
    interfaces: [ErrorInterface],
    fields: (t) => ({
        upstreamCode: t.exposeInt('upstreamCode', { nullable: true }),
        field: t.exposeString('field', { nullable: true }),
    }),
});
builder.objectType(UpstreamUnavailableError, {
    name: 'UpstreamUnavailableError',
    description: 'KS Pay could not be reached or failed. When `retryable`, send the same request again later.',
    interfaces: [ErrorInterface],
    fields: (t) => ({
        retryable: t.exposeBoolean('retryable'),
        upstreamCode: t.exposeInt('upstreamCode', { nullable: true }),
        retryAfterMs: t.exposeInt('retryAfterMs', { nullable: true }),
    }),
});
builder.objectType(IdempotencyConflictError, {
    name: 'IdempotencyConflictError',
    description: 'The referenceNumber was already used with different input.',
    interfaces: [ErrorInterface],
    fields: (t) => ({ referenceNumber: t.exposeString('referenceNumber') }),
});
const SignatureProblem = builder.enumType('SignatureProblem', { values: ['EXPIRED', 'MALFORMED', 'LOST', 'OTHER_CLIENT'] });
builder.objectType(SignatureInvalidError, {
    name: 'SignatureInvalidError',
    interfaces: [ErrorInterface],
    fields: (t) => ({
        reason: t.expose('reason', { type: SignatureProblem }),
        upstreamCode: t.exposeInt('upstreamCode', { nullable: true }),
    }),
});
/** The failures each payment mutation can return as data. */
export const INITIATE_ERRORS = [
    ValidationError,
    IdempotencyConflictError,
    UpstreamRejectedError,
    UpstreamUnavailableError,
    SignatureInvalidError,
    NotFoundError,
];
export const PROCESS_ERRORS = [ValidationError, SignatureInvalidError, UpstreamRejectedError, UpstreamUnavailableError, NotFoundError];
