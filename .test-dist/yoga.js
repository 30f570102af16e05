import { NoSchemaIntrospectionCustomRule } from 'graphql';
import { createYoga } from 'graphql-yoga';
import { createLiveReads } from './reads/live-reads.js';
import { createContext } from './context.js';
import { graphiqlOptions, renderGraphiQLSafely } from './graphiql.js';
import { maskError } from './errors/mask.js';
import { useCompiledExecution } from './plugins/use-compiled-execution.js';
import { createDocumentCache } from './documents/document-cache.js';
import { useDocumentSizeLimit } from './plugins/use-document-size-limit.js';
import { useNoSchemaHints } from './plugins/use-no-schema-hints.js';
import { useObservability } from './plugins/use-observability.js';
import { useQueryLimits } from './plugins/use-query-limits.js';
import { useSubscriptionTransportHint } from './plugins/use-subscription-transport-hint.js';
import { usePersistedDocuments } from './plugins/use-persisted-documents.js';
import { useTracing } from './observability/tracing-plugin.js';
import { schema } from './schema/index.js';
/** yoga's parse cache, by estimated bytes (a parsed document is ~80× its text). */
const PARSE_CACHE_BYTES = 4 * 1024 * 1024;
/** A document that is not trusted is compiled by graphql-jit from its third use on. */
const COMPILE_FROM_USE = 3;
export function createGatewayYoga(deps) {
    const { config, policy } = deps;
    const { persisted, limits } = policy;
    const documents = createDocumentCache({ maxBytes: PARSE_CACHE_BYTES });
    // One set of live reads per instance: concurrent lookups of a key share upstream GETs (src/reads/live-reads.ts).
    const contextDeps = { ...deps, liveReads: createLiveReads(deps.client, deps.metrics.registry) };
    return createYoga({
        schema,
        graphqlEndpoint: '/graphql',
        landingPage: false,
        logging: false, // our own pino logger reports every operation (plugins/use-observability.ts)
        context: (initial) => createContext(contextDeps, initial),
        maskedErrors: { maskError },
        // GraphQL-over-HTTP's persisted document id (src/plugins/use-persisted-documents.ts).
        extraParamNames: ['documentId'],
        batching: limits.batchLimit > 0 ? { limit: limits.batchLimit } : false,
        // The front door (src/http/) does CORS, body framing and the size limit for every path, once.
        cors: false,
        maxRequestBodySize: false,
        multipart: false,
        // GraphiQL's assets are served from this package, not a CDN: the gateway may have no internet.
        renderGraphiQL: renderGraphiQLSafely,
        graphiql: config.server.graphiql ? graphiqlOptions(deps.exampleIds) : false,
        parserAndValidationCache: documents.options,
        plugins: [
            // Before tracing and observability, which wrap whatever execute function they are given.
            ...(deps.compiledExecution === false
                ? []
                : [useCompiledExecution({ logger: deps.logger, worthCompiling: worthCompiling(documents, persisted.trusted) })]),
            ...(deps.tracer ? [useTracing(deps.tracer, deps.metrics.operationLabel)] : []),
            useObservability({ logger: deps.logger, reports: deps.reports }),
            // Before anything reads or hashes the text.
            useDocumentSizeLimit(limits.maxDocumentBytes),
            usePersistedDocuments(persisted, policy.resolveDocument),
            useQueryLimits(limits),
            // With introspection off (the policy then hides the schema in errors too).
            ...(policy.schemaHints ? [refuseIntrospection(), useNoSchemaHints(policy.schemaHints)] : []),
            reportStaleCatalog(),
            useSubscriptionTransportHint(),
            ...(deps.plugins ?? []),
        ],
    });
}
/** Trusted documents are compiled at once; others once used COMPILE_FROM_USE times, and only while their parse is cached. */
function worthCompiling(documents, trusted) {
    return (document) => {
        const use = documents.useOf(document);
        return use && (use.uses >= COMPILE_FROM_USE || trusted.has(use.hash)) ? use.hash : null;
    };
}
/** Tells the client, in the response extensions, that part of the catalog is stale. */
function reportStaleCatalog() {
    return {
        onExecute: () => ({
            onExecuteDone: ({ args, result, setResult }) => {
                const ageMs = args.contextValue.freshness.staleAgeMs;
                if (ageMs === null || Symbol.asyncIterator in result)
                    return;
                setResult({ ...result, extensions: { ...result.extensions, catalog: { stale: true, ageMs } } });
            },
        }),
    };
}
function refuseIntrospection() {
    return { onValidate: ({ addValidationRule }) => addValidationRule(NoSchemaIntrospectionCustomRule) };
}
