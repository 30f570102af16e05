/**
 * A span per executed GraphQL operation, by OpenTelemetry's GraphQL conventions: named by
 * the operation type alone (`query`, `mutation`, `subscription`), the client's operation
 * name only as the `graphql.operation.name` attribute, bounded as metric labels are (at most
 * MAX_OPERATION_LABELS names, then `other`). A child of the HTTP request's span
 * (./http-spans.ts), or over graphql-ws of the client's `traceparent`; resolvers run inside
 * it, so their KS Pay calls become its children (./tracing.ts). Only installed when tracing is on.
 */
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { getOperationAST } from 'graphql';
import { publicErrorCode } from '../errors/mask.js';
import { clientTraceContext } from './tracing.js';
export function useTracing(tracer, operationLabel) {
    return {
        onExecute({ args, executeFn, setExecuteFn }) {
            const operation = getOperationAST(args.document, args.operationName);
            const type = operation?.operation ?? 'query';
            const name = operation?.name ? operationLabel(operation.name.value) : null;
            const active = context.active();
            const parent = trace.getSpan(active) ? active : clientTraceContext(args.contextValue.request?.headers);
            const span = tracer.startSpan(operation ? type : 'GraphQL Operation', { kind: SpanKind.SERVER, attributes: { 'graphql.operation.type': type, ...(name ? { 'graphql.operation.name': name } : {}) } }, parent);
            const inSpan = trace.setSpan(parent, span);
            setExecuteFn((executeArgs) => context.with(inSpan, () => executeFn(executeArgs)));
            return {
                onExecuteDone({ result }) {
                    if (Symbol.asyncIterator in result)
                        return void span.end();
                    const codes = (result.errors ?? []).map((error) => publicErrorCode(error));
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
