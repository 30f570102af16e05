import { createGraphQLError } from 'graphql-yoga';
import { statusOf } from './registry.js';
export function clientError(code, message, { fields, status, ...options } = {}) {
    const http = statusOf(code, status);
    const extensions = http === 200 ? { code, ...fields } : { code, ...fields, http: { status: http } };
    return createGraphQLError(message, { ...options, extensions });
}
