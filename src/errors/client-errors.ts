/**
 * The GraphQL errors the gateway raises itself (outside the gateway error classes), each
 * with a code of the registry and the HTTP status the registry gives it: 200 is left to
 * yoga (a GraphQL result), any other status goes into `extensions.http`.
 */
import type { GraphQLErrorOptions } from 'graphql';
import { createGraphQLError } from 'graphql-yoga';
import { statusOf, type ClientErrorCode } from './registry.js';

type Plain = string | number | boolean | null;

export interface ClientErrorOptions extends Omit<GraphQLErrorOptions, 'extensions'> {
  /** Fields beside `code` a client may see. */
  fields?: Record<string, Plain>;
  /** One of the statuses the code's entry lists; its usual one when absent. */
  status?: number;
}

export function clientError(code: ClientErrorCode, message: string, { fields, status, ...options }: ClientErrorOptions = {}) {
  const http = statusOf(code, status);
  const extensions = http === 200 ? { code, ...fields } : { code, ...fields, http: { status: http } };
  return createGraphQLError(message, { ...options, extensions });
}
