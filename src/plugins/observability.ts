/**
 * One log line and one set of metrics per GraphQL operation: request id, operation name,
 * duration, upstream calls made, and error codes. The request id comes from a sane
 * `x-request-id` header or is generated, and is echoed in the response.
 */
import { randomUUID } from 'node:crypto';
import { getOperationAST, type DocumentNode, type GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Context } from '../context.js';
import { publicErrorCode } from '../mask-error.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import { runInScope } from '../observability/request-scope.js';

const requestIds = new WeakMap<Request, string>();

export function requestIdOf(request: Request): string {
  return requestIds.get(request) ?? randomUUID();
}

function operationName(document: DocumentNode, name?: string | null): string {
  return getOperationAST(document, name)?.name?.value ?? 'anonymous';
}

export function useObservability({ logger, metrics }: { logger: Logger; metrics: Metrics }): Plugin<Context> {
  const report = (entry: { requestId: string; operation: string; durationMs: number; upstreamCalls: number; errorCodes: string[] }) => {
    const outcome = entry.errorCodes[0] ?? 'ok';
    metrics.operations.inc({ operation: entry.operation, outcome });
    metrics.operationSeconds.observe({ operation: entry.operation, outcome }, entry.durationMs / 1000);
    logger.info({ ...entry, durationMs: Math.round(entry.durationMs * 10) / 10, outcome }, 'graphql operation');
  };

  return {
    onRequest({ request }) {
      const header = request.headers.get('x-request-id');
      requestIds.set(request, header && /^[\w.:-]{1,64}$/.test(header) ? header : randomUUID());
    },
    onResponse({ request, response }) {
      const id = requestIds.get(request);
      if (id) response.headers.set('x-request-id', id);
    },
    onValidate({ params, context }) {
      const startedAt = performance.now();
      return ({ valid, result }) => {
        if (valid) return;
        report({
          requestId: (context as Partial<Context>).requestId ?? 'unknown',
          operation: operationName(params.documentAST, (context as { params?: { operationName?: string } }).params?.operationName),
          durationMs: performance.now() - startedAt,
          upstreamCalls: 0,
          errorCodes: result.map((error) => publicErrorCode(error as GraphQLError)),
        });
      };
    },
    onExecute({ args, executeFn, setExecuteFn }) {
      const context = args.contextValue as Context;
      const startedAt = performance.now();
      // Run the execution inside the request's scope, so the KS Pay client can count its calls.
      setExecuteFn((executeArgs) => runInScope(context.scope, () => executeFn(executeArgs)));
      return {
        onExecuteDone({ result }) {
          if (Symbol.asyncIterator in result) return;
          const { scope } = context;
          report({
            requestId: scope.requestId,
            operation: operationName(args.document, args.operationName),
            durationMs: performance.now() - startedAt,
            upstreamCalls: scope.upstreamCalls,
            errorCodes: [...scope.errorCodes, ...(result.errors ?? []).map((error) => publicErrorCode(error))],
          });
        },
      };
    },
  };
}
