/**
 * The one place errors meet the client. A gateway error keeps its message and says in
 * `extensions` exactly what its class lists (`toExtensions`); anything else is a bug and
 * is masked as "Unexpected error.", so no stack, token or upstream detail can leak.
 * (Upstream failures became gateway errors in the services: src/errors/from-kspay.ts.)
 */
import { GraphQLError } from 'graphql';
import { createGraphQLError, maskError as yogaMaskError } from 'graphql-yoga';
import { GatewayError } from './gateway-errors.js';
export function maskError(error, message, isDev) {
    const graphqlError = error instanceof GraphQLError ? error : null;
    const original = graphqlError?.originalError ?? error;
    if (original instanceof GatewayError) {
        return createGraphQLError(original.message, {
            nodes: graphqlError?.nodes,
            path: graphqlError?.path,
            extensions: original.toExtensions(),
        });
    }
    return yogaMaskError(error, message, isDev);
}
/**
 * Errors of the request itself, found as execution starts: a variable missing or of the
 * wrong type, an operation name the document lacks. They carry no path (no field ran) and
 * no code of their own; they are the client's mistake, so they say so: `BAD_USER_INPUT`.
 * (Their messages name only what the client wrote.) Any other error is returned as it is.
 */
export function withRequestErrorCode(error) {
    if (error.path !== undefined || typeof error.extensions?.code === 'string')
        return error;
    const original = error.originalError;
    if (original && !(original instanceof GraphQLError))
        return error;
    return createGraphQLError(error.message, {
        nodes: error.nodes,
        extensions: { ...error.extensions, code: 'BAD_USER_INPUT' },
    });
}
/** The code a client sees for this error (after masking). */
export function publicErrorCode(error) {
    const code = error.extensions?.code;
    if (typeof code === 'string')
        return code;
    const original = error.originalError;
    if (original instanceof GatewayError)
        return original.code;
    return original ? 'INTERNAL_SERVER_ERROR' : 'GRAPHQL_VALIDATION_FAILED';
}
