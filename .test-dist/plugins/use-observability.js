/**
 * One log line and one set of metrics per GraphQL operation: request id, operation name,
 * duration, upstream calls made, and error codes. The request id is the front door's
 * (src/http/front-door.ts). Client input never becomes an unbounded label: operation
 * names become metric labels only through `metrics.operationLabel` (bounded), and log
 * lines carry at most 64 characters of a name.
 */
import { getOperationAST } from 'graphql';
import { publicErrorCode, withRequestErrorCode } from '../errors/mask.js';
import { runWithStats } from '../observability/operation-stats.js';
export function useObservability({ logger, reports }) {
    const report = reports.executed;
    return {
        onValidate({ params, context }) {
            const startedAt = performance.now();
            return ({ valid, result }) => {
                if (valid)
                    return;
                const { requestId } = context;
                report({
                    requestId,
                    operation: operationName(params.documentAST, context.params?.operationName),
                    durationMs: performance.now() - startedAt,
                    upstreamCalls: 0,
                    errorCodes: result.map((error) => publicErrorCode(error)),
                });
            };
        },
        onExecute({ args, executeFn, setExecuteFn }) {
            const context = args.contextValue;
            const startedAt = performance.now();
            // Run the execution with the operation's stats, so the KS Pay client can count its calls.
            setExecuteFn((executeArgs) => runWithStats(context.stats, () => executeFn(executeArgs)));
            return {
                onExecuteDone({ result: executed, setResult }) {
                    if (Symbol.asyncIterator in executed)
                        return;
                    const result = labelRequestErrors(executed);
                    if (result !== executed)
                        setResult(result);
                    const { stats } = context;
                    const codes = (result.errors ?? []).map((error) => publicErrorCode(error));
                    // This hook runs before yoga masks the result: the cause of an "Unexpected error." is still here.
                    result.errors?.forEach((error, i) => {
                        if (codes[i] === 'INTERNAL_SERVER_ERROR')
                            logger.error({ requestId: stats.requestId, err: error.originalError ?? error }, 'masked error');
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
function labelRequestErrors(result) {
    const errors = result.errors?.map(withRequestErrorCode);
    return errors?.some((error, i) => error !== result.errors[i]) ? { ...result, errors } : result;
}
function operationName(document, name) {
    return getOperationAST(document, name)?.name?.value ?? null;
}
