/**
 * The one place errors meet the client. Expected failures (gateway errors, KS Pay
 * errors) keep a clear message and a code in `extensions`; anything else is a bug
 * and is masked, so no stack, token or upstream detail can leak.
 */
import { GraphQLError } from 'graphql';
import { createGraphQLError, maskError as yogaMaskError } from 'graphql-yoga';
import { fromKsPayError, GatewayError } from './errors.js';
import { isKsPayError } from './kspay/errors.js';

export function maskError(error: unknown, message: string, isDev?: boolean): Error {
  const graphqlError = error instanceof GraphQLError ? error : null;
  const original = graphqlError?.originalError ?? error;
  const expected = isKsPayError(original) ? fromKsPayError(original) : original instanceof GatewayError ? original : null;
  if (expected) {
    return createGraphQLError(expected.message, {
      nodes: graphqlError?.nodes,
      path: graphqlError?.path,
      extensions: publicFields(expected),
    });
  }
  return yogaMaskError(error, message, isDev);
}

/** The code a client sees for this error (after masking). */
export function publicErrorCode(error: GraphQLError): string {
  const code = error.extensions?.code;
  if (typeof code === 'string') return code;
  const original = error.originalError;
  if (isKsPayError(original)) return fromKsPayError(original).code;
  if (original instanceof GatewayError) return original.code;
  return original ? 'INTERNAL_SERVER_ERROR' : 'GRAPHQL_VALIDATION_FAILED';
}

/**
 * A gateway error's own fields (field, upstreamCode, retryable …) as `extensions`. Only
 * plain values: an object here (a cause, a KS Pay error) could carry the upstream's text.
 */
function publicFields(error: GatewayError): Record<string, unknown> {
  const fields: Record<string, unknown> = { code: error.code };
  for (const [key, value] of Object.entries(error)) {
    if (key !== 'code' && key !== 'name' && ['string', 'number', 'boolean'].includes(typeof value)) fields[key] = value;
  }
  return fields;
}
