/**
 * With introspection off, error messages must not teach a client the schema either: no
 * "Did you mean …?" suggestions, and no type, field, argument or enum value the client did
 * not write itself (in its document or its variables). Applies to every result after error
 * masking: validation, variable coercion, execution, and each event of a subscription;
 * over graphql-ws, which validates outside yoga's result pipeline, src/http/websocket.ts
 * applies the same filter to what it refuses itself.
 *
 * graphql-js quotes every schema element it names ("Currency", "Query.transactions"), and
 * custom scalars open their own errors with their name ("DateTime must be …"); those are
 * the places a name is looked for. The gateway's own sentences ("Transaction tx_… was not
 * found") are written for clients and stay as they are.
 */
import {
  type GraphQLError,
  type GraphQLSchema,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isScalarType,
  isSpecifiedScalarType,
} from 'graphql';
import { createGraphQLError, isAsyncIterable, mapAsyncIterator, type Plugin } from 'graphql-yoga';
import { clientError } from '../errors/client-errors.js';

type Result = { errors?: readonly GraphQLError[] };

interface SchemaNames {
  /** Types, fields, arguments, input fields and enum values (not the spec's built-ins). */
  all: ReadonlySet<string>;
  types: ReadonlySet<string>;
  customScalars: ReadonlySet<string>;
}

/** What the client sent, as far as the filter needs it: the words it wrote itself. */
export interface WrittenParams {
  query?: string | null;
  operationName?: string | null;
  variables?: unknown;
}

/** Rewrites errors so that they name nothing of the schema the client did not write (graphql-ws uses it directly). */
export type SchemaHintFilter = (errors: readonly GraphQLError[], params: WrittenParams) => GraphQLError[];

export function createSchemaHintFilter(schema: GraphQLSchema): SchemaHintFilter {
  const names = schemaNames(schema);
  return (errors, params) => {
    // What the client wrote; only worked out when there is an error to rewrite.
    let written: Set<string> | undefined;
    const hidden = (name: string) => {
      if (!names.all.has(name)) return false;
      written ??= wordsOf(params.query, params.operationName, JSON.stringify(params.variables ?? {}));
      return !written.has(name);
    };
    return errors.map((error) => withoutHints(error, hidden, names));
  };
}

export function useNoSchemaHints(filter: SchemaHintFilter): Plugin {
  return {
    onExecutionResult({ result, setResult, context }) {
      if (!result) return;
      // A single result without errors (most answers) needs nothing: no closure, no new result.
      if (!isAsyncIterable(result) && !result.errors?.length) return;
      const params = context.params ?? {};
      const clean = <T extends Result>(one: T): T => (one.errors?.length ? { ...one, errors: filter(one.errors, params) } : one);
      setResult(isAsyncIterable(result) ? mapAsyncIterator(result, clean) : clean(result));
    },
  };
}

function withoutHints(error: GraphQLError, hidden: (name: string) => boolean, names: SchemaNames): GraphQLError {
  // The executor's own field errors ('Expected Iterable … for field "Query.x"', abstract
  // types that do not resolve) carry no code: server-side failures, masked like any other.
  if (error.path && error.extensions?.code === undefined) {
    return clientError('INTERNAL_SERVER_ERROR', 'Unexpected error.', {
      nodes: error.nodes,
      source: error.source,
      positions: error.positions,
      path: error.path,
      fields: { unexpected: true },
    });
  }
  const message = hideNames(error.message.replace(SUGGESTION, ''), hidden, names);
  if (message === error.message) return error;
  return createGraphQLError(message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError ?? undefined,
    extensions: error.extensions,
  });
}

/** graphql-js's "Did you mean "x"?", "… the enum value "X"?", "… to use an inline fragment on …?". */
const SUGGESTION = / ?Did you mean [^?]*\?/g;

/** graphql-js messages that name schema elements, said without them (applied when they would reveal one). */
const REWRITES: [pattern: RegExp, replacement: string][] = [
  [/Cannot query field "(\w+)" on type "\w+"\./g, 'Cannot query field "$1" on this type.'],
  [/Unknown argument "(\w+)" on field "\w+\.(\w+)"\./g, 'Unknown argument "$1" on field "$2".'],
  [/Field "(\w+)" argument "\w+" of type "[^"]+" is required, but it was not provided\./g, 'Field "$1" is missing a required argument.'],
  [/Field "(\w+)" of type "[^"]+" must have (a selection of subfields|at least one field selected)\./g, 'Field "$1" must have $2.'],
  [/Field "(\w+)" must not have a selection since type "[^"]+" has no subfields\./g, 'Field "$1" must not have a selection since its type has no subfields.'],
  [/Field "[\w.]+" of required type "[^"]+" was not provided\./g, 'A required input field was not provided.'],
  [/Field "(\w+)" is not defined by type "\w+"\./g, 'Field "$1" is not defined by this input type.'],
  [/(Fragment(?: "\w+")?) cannot be spread here as objects of type "[^"]+" (can never be of type "[^"]+")\./g, '$1 cannot be spread here: objects here $2.'],
  [/(Variable "\$\w+" of type "[^"]+") used in position expecting type "[^"]+"\./g, '$1 cannot be used in this position.'],
  [/Expected value of type "[^"]+", found /g, 'Expected a value of another type, found '],
  [/Expected type "\w+" to be an object\./g, 'Expected an object.'],
  [/Expected type "\w+"\./g, 'Invalid value.'],
  [/Value "([^"]*)" does not exist in "\w+" enum\./g, 'Value "$1" does not exist in this enum.'],
  [/Enum "\w+" cannot represent/g, 'This enum cannot represent'],
];

const WORD = /[_A-Za-z][_0-9A-Za-z]*/g;
const QUOTED = /"[^"]*"/g;
const COORDINATE = /\b([_A-Za-z]\w*)\.([_A-Za-z]\w*)\b/g;
const SCALAR_SUBJECT = /(^|[;:] )([_A-Za-z]\w*) (\w)/g;

function hideNames(message: string, hidden: (name: string) => boolean, names: SchemaNames): string {
  const quotesHidden = (text: string) => (text.match(QUOTED) ?? []).some((quoted) => (quoted.match(WORD) ?? []).some(hidden));
  let result = message;
  for (const [pattern, replacement] of REWRITES) {
    result = result.replace(pattern, (match) => (quotesHidden(match) ? match.replace(new RegExp(pattern.source), replacement) : match));
  }
  // Anything left (messages of other versions, other plugins): drop or blank each name.
  return result
    .replace(COORDINATE, (match, type: string, field: string) => (names.types.has(type) && hidden(type) ? field : match))
    .replace(QUOTED, (quoted) => quoted.replace(WORD, (word) => (hidden(word) ? '…' : word)))
    .replace(SCALAR_SUBJECT, (match, start: string, scalar: string, next: string) =>
      names.customScalars.has(scalar) && hidden(scalar) ? start + next.toUpperCase() : match,
    );
}

function wordsOf(...texts: (string | null | undefined)[]): Set<string> {
  return new Set(texts.flatMap((text) => text?.match(WORD) ?? []));
}

function schemaNames(schema: GraphQLSchema): SchemaNames {
  const all = new Set<string>();
  const types = new Set<string>();
  const customScalars = new Set<string>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__') || isSpecifiedScalarType(type)) continue;
    types.add(type.name);
    if (isScalarType(type)) customScalars.add(type.name);
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        all.add(field.name);
        for (const arg of field.args) all.add(arg.name);
      }
    }
    if (isInputObjectType(type)) for (const field of Object.values(type.getFields())) all.add(field.name);
    if (isEnumType(type)) for (const value of type.getValues()) all.add(value.name);
  }
  for (const type of types) all.add(type);
  return { all, types, customScalars };
}
