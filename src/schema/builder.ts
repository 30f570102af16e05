/**
 * The one SchemaBuilder: plugins, scalars and root types. Domain types live in their
 * own files and register themselves on this builder when imported by ./index.ts.
 */
import SchemaBuilder from '@pothos/core';
import ErrorsPlugin from '@pothos/plugin-errors';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import SimpleObjectsPlugin from '@pothos/plugin-simple-objects';
import { GraphQLError, Kind, type ValueNode } from 'graphql';
import type { Scope } from '../config.js';
import type { Caller } from '../http/auth.js';
import { GatewayError } from '../errors/gateway-errors.js';
import { currentStats } from '../observability/operation-stats.js';
import type { Context } from '../context.js';
import { Decimal } from '../kspay/money.js';
import { nodeTypename } from './node-ids.js';
import { clientError } from '../errors/client-errors.js';

/** What a Decimal argument holds before a resolver validates it: the raw text. */
export type DecimalInput = string;

export const builder = new SchemaBuilder<{
  Context: Context;
  AuthScopes: { scope: Scope };
  Scalars: {
    Decimal: { Input: DecimalInput; Output: Decimal | string };
    DateTime: { Input: Date; Output: Date | string };
    JSON: { Input: unknown; Output: unknown };
  };
  DefaultFieldNullability: false;
}>({
  plugins: [ScopeAuthPlugin, ErrorsPlugin, RelayPlugin, SimpleObjectsPlugin],
  defaultFieldNullability: false,
  scopeAuth: {
    // Check scopes when a subscription starts, not only as its events resolve.
    authorizeOnSubscribe: true,
    authScopes: (context) => scopeLoadersOf(context.caller),
    unauthorizedError: (_parent, _context, info) => forbidden(`This API key may not read ${info.parentType.name}.${info.fieldName}`),
  },
  errors: {
    defaultTypes: [],
    // Typed failures returned as data still count as this operation's outcome in logs and metrics.
    onResolvedError: (error) => {
      if (error instanceof GatewayError) currentStats()?.errorCodes.push(error.code);
    },
  },
  relay: {
    cursorType: 'String',
    // The Node interface is the plugin's; its ids are KS Pay's own, never encoded (./node-ids.ts),
    // and node/nodes are declared in ./node.ts, with each type's scope and per-item errors.
    nodeTypeOptions: { resolveType: nodeTypename },
    nodeQueryOptions: false,
    nodesQueryOptions: false,
  },
});

/** A caller's scope loader, made once per caller (one per API key) rather than per request. */
const scopeLoaders = new WeakMap<Caller, { scope: (scope: Scope) => boolean }>();
function scopeLoadersOf(caller: Caller): { scope: (scope: Scope) => boolean } {
  let loaders = scopeLoaders.get(caller);
  if (!loaders) {
    loaders = { scope: (scope) => caller.can(scope) };
    scopeLoaders.set(caller, loaders);
  }
  return loaders;
}

/** A field the API key's scopes do not cover. */
export function forbidden(message: string): GraphQLError {
  return clientError('FORBIDDEN', message);
}

builder.queryType({});
builder.mutationType({});
builder.subscriptionType({});

function invalid(message: string): GraphQLError {
  return clientError('VALIDATION', message);
}

/**
 * Money as a string like "345.67". Input accepts a string or an integer; the string is
 * checked by the resolver (so a malformed amount becomes a typed VALIDATION result that
 * names the field), while a float literal is refused outright: it has already lost precision.
 */
builder.scalarType('Decimal', {
  description: 'An exact decimal amount, serialized as a string such as "345.67". Input: a string or an integer.',
  serialize: (value) => {
    if (value instanceof Decimal) return value.text;
    // A string: an amount that came back through a store or an event as its JSON form;
    // `{ text }`: the form records written by earlier gateways kept (up to IDEMPOTENCY_TTL_MS).
    const text = typeof value === 'string' ? value : (value as { text?: unknown } | null)?.text;
    const parsed = typeof text === 'string' ? Decimal.parse(text) : null;
    if (!parsed) throw new GraphQLError('Decimal cannot represent a non-decimal value');
    return parsed.text;
  },
  parseValue: (value) => decimalInput(value),
  parseLiteral: (node) => decimalInput(literalValue(node)),
});

function literalValue(node: ValueNode): unknown {
  if (node.kind === Kind.STRING) return node.value;
  if (node.kind === Kind.INT) return Number.isSafeInteger(Number(node.value)) ? Number(node.value) : node.value;
  if (node.kind === Kind.FLOAT) return Number(node.value);
  return undefined;
}

function decimalInput(value: unknown): DecimalInput {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  throw invalid('Decimal input must be a string such as "345.67" or an integer; floats lose precision');
}

builder.scalarType('DateTime', {
  description: 'An ISO-8601 date-time, e.g. "2024-08-03T11:57:59.647Z".',
  serialize: (value) => (value instanceof Date ? value.toISOString() : String(value)),
  parseValue: (value) => dateInput(value),
  parseLiteral: (node) => dateInput(node.kind === Kind.STRING ? node.value : undefined),
});

function dateInput(value: unknown): Date {
  const date = typeof value === 'string' ? new Date(value) : null;
  if (!date || Number.isNaN(date.getTime()) || !/^\d{4}-\d{2}-\d{2}/.test(value as string)) {
    throw invalid('DateTime must be an ISO-8601 string such as "2024-08-03T11:57:59Z"');
  }
  return date;
}

builder.scalarType('JSON', {
  description: 'Arbitrary JSON, passed through as is.',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: () => {
    throw invalid('JSON input is not accepted as a literal');
  },
});
