/**
 * A span per executed GraphQL operation, a child of the client's `traceparent` when it
 * sends one; resolvers run inside it, so their KS Pay calls become its children
 * (src/observability/tracing.ts). Only installed when tracing is on.
 */
import { context, SpanKind, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import { getOperationAST, type GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Context } from '../context.js';
import { publicErrorCode } from '../errors/mask.js';
import { boundedName, clientTraceContext } from './tracing.js';

export function useTracing(tracer: Tracer): Plugin<Context> {
  return {
    onExecute({ args, executeFn, setExecuteFn }) {
      const operation = getOperationAST(args.document, args.operationName);
      const type = operation?.operation ?? 'query';
      const name = operation?.name ? boundedName(operation.name.value) : null;
      const parent = clientTraceContext((args.contextValue as { request?: Request }).request?.headers);
      const span = tracer.startSpan(
        name ? `${type} ${name}` : type,
        { kind: SpanKind.SERVER, attributes: { 'graphql.operation.type': type, ...(name ? { 'graphql.operation.name': name } : {}) } },
        parent,
      );
      const active = trace.setSpan(parent, span);
      setExecuteFn((executeArgs) => context.with(active, () => executeFn(executeArgs)));
      return {
        onExecuteDone({ result }) {
          if (Symbol.asyncIterator in result) return void span.end();
          const codes = (result.errors ?? []).map((error) => publicErrorCode(error as GraphQLError));
          if (codes.length > 0) {
            span.setAttribute('graphql.error.codes', codes);
            span.setStatus({ code: SpanStatusCode.ERROR });
          }
          span.end();
        },
      };
    },
  };
}
