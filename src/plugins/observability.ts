/**
 * One log line and one set of metrics per GraphQL operation: request id, operation name,
 * duration, upstream calls made, and error codes. The request id is the front door's
 * (src/http/front-door.ts). Client input never becomes an unbounded label: operation
 * names of up to 64 characters become metric labels only while fewer than
 * MAX_OPERATION_LABELS are known (then `other`), and log lines carry at most 64 characters of a name.
 */
import { getOperationAST, type DocumentNode, type GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Context } from '../context.js';
import type { ServerContext } from '../http/front-door.js';
import { publicErrorCode, withRequestErrorCode } from '../errors/mask.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import { runInScope } from '../observability/request-scope.js';

export const MAX_OPERATION_LABELS = 50;
/** Longer names are cut in logs, and never become a label. */
const MAX_NAME_LENGTH = 64;

interface Report {
  requestId: string;
  operation: string | null;
  durationMs: number;
  upstreamCalls: number;
  errorCodes: string[];
}

export function useObservability({ logger, metrics }: { logger: Logger; metrics: Metrics }): Plugin<Context> {
  const labels = new Set<string>();
  const labelOf = (name: string | null): string => {
    if (name === null) return 'anonymous';
    if (labels.has(name)) return name;
    if (labels.size >= MAX_OPERATION_LABELS || name.length > MAX_NAME_LENGTH) return 'other';
    labels.add(name);
    return name;
  };

  const report = ({ operation, ...entry }: Report) => {
    const outcome = entry.errorCodes[0] ?? 'ok';
    const label = labelOf(operation);
    metrics.operations.inc({ operation: label, outcome });
    metrics.operationSeconds.observe({ operation: label, outcome }, entry.durationMs / 1000);
    logger.info(
      { ...entry, operation: shortName(operation), durationMs: Math.round(entry.durationMs * 10) / 10, outcome },
      'graphql operation',
    );
  };

  return {
    onValidate({ params, context }) {
      const startedAt = performance.now();
      return ({ valid, result }) => {
        if (valid) return;
        const { requestId } = context as unknown as ServerContext;
        report({
          requestId,
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
        onExecuteDone({ result: executed, setResult }) {
          if (Symbol.asyncIterator in executed) return;
          const result = labelRequestErrors(executed);
          if (result !== executed) setResult(result);
          const { scope } = context;
          const codes = (result.errors ?? []).map((error) => publicErrorCode(error));
          // This hook runs before yoga masks the result: the cause of an "Unexpected error." is still here.
          result.errors?.forEach((error, i) => {
            if (codes[i] === 'INTERNAL_SERVER_ERROR') logger.error({ requestId: scope.requestId, err: error.originalError ?? error }, 'masked error');
          });
          report({
            requestId: scope.requestId,
            operation: operationName(args.document, args.operationName),
            durationMs: performance.now() - startedAt,
            upstreamCalls: scope.upstreamCalls,
            errorCodes: [...scope.errorCodes, ...codes],
          });
        },
      };
    },
  };
}

/** The result with its request errors coded as the client's (src/errors/mask.ts), or the same result. */
function labelRequestErrors<T extends { errors?: readonly GraphQLError[] }>(result: T): T {
  const errors = result.errors?.map(withRequestErrorCode);
  return errors?.some((error, i) => error !== result.errors![i]) ? { ...result, errors } : result;
}

function operationName(document: DocumentNode, name?: string | null): string | null {
  return getOperationAST(document, name)?.name?.value ?? null;
}

function shortName(name: string | null): string {
  if (name === null) return 'anonymous';
  return name.length > MAX_NAME_LENGTH ? `${name.slice(0, MAX_NAME_LENGTH)}…` : name;
}
