/**
 * One log line and one set of metrics per GraphQL operation: request id, operation name,
 * duration, upstream calls made, and error codes. The request id is the front door's
 * (src/http/front-door.ts). Client input never becomes an unbounded label: operation
 * names become metric labels only through `metrics.operationLabel` (bounded), and log
 * lines carry at most 64 characters of a name.
 */
import { getOperationAST, type DocumentNode, type GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Context } from '../context.js';
import type { ServerContext } from '../server-context.js';
import { publicErrorCode, withRequestErrorCode } from '../errors/mask.js';
import type { Logger } from '../observability/logger.js';
import type { OperationReports } from '../observability/operation-report.js';
import { runWithStats } from '../observability/operation-stats.js';

export function useObservability({ logger, reports }: { logger: Logger; reports: OperationReports }): Plugin<Context> {
  const report = reports.executed;

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
      // Run the execution with the operation's stats, so the KS Pay client can count its calls.
      setExecuteFn((executeArgs) => runWithStats(context.stats, () => executeFn(executeArgs)));
      return {
        onExecuteDone({ result: executed, setResult }) {
          if (Symbol.asyncIterator in executed) return;
          const result = labelRequestErrors(executed);
          if (result !== executed) setResult(result);
          const { stats } = context;
          const codes = (result.errors ?? []).map((error) => publicErrorCode(error));
          // This hook runs before yoga masks the result: the cause of an "Unexpected error." is still here.
          result.errors?.forEach((error, i) => {
            if (codes[i] === 'INTERNAL_SERVER_ERROR') logger.error({ requestId: stats.requestId, err: error.originalError ?? error }, 'masked error');
          });
          report({
            requestId: stats.requestId,
            operation: operationName(args.document, args.operationName),
            durationMs: performance.now() - startedAt,
            upstreamCalls: stats.upstreamCalls,
            errorCodes: [...stats.errorCodes, ...codes],
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
