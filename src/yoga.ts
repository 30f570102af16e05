/**
 * createGatewayYoga(deps) → the yoga instance with every plugin wired. No side effects:
 * app.ts gives it its collaborators, tests and main.ts give it a port.
 */
import type { Tracer } from '@opentelemetry/api';
import { NoSchemaIntrospectionCustomRule, type DocumentNode } from 'graphql';
import { createYoga, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import type { CatalogCache } from './reads/catalog-cache.js';
import type { SettledTransactions } from './reads/settled-transactions.js';
import { createLiveReads } from './reads/live-reads.js';
import type { TransactionCursors } from './reads/transaction-cursor.js';
import type { Config } from './config.js';
import { createContext, type Context } from './context.js';
import { type ExampleIds, graphiqlOptions, renderGraphiQLSafely } from './graphiql.js';
import type { KsPayClient } from './kspay/client.js';
import { maskError } from './errors/mask.js';
import type { ServerContext } from './server-context.js';
import type { Logger } from './observability/logger.js';
import type { Metrics } from './observability/metrics.js';
import type { PaymentService } from './payments/payment-service.js';
import { useCompiledExecution } from './plugins/use-compiled-execution.js';
import { createDocumentCache, type DocumentCache } from './documents/document-cache.js';
import { useDocumentSizeLimit } from './plugins/use-document-size-limit.js';
import { useNoSchemaHints } from './plugins/use-no-schema-hints.js';
import { useObservability } from './plugins/use-observability.js';
import { useQueryLimits } from './plugins/use-query-limits.js';
import { useSubscriptionTransportHint } from './plugins/use-subscription-transport-hint.js';
import { usePersistedDocuments } from './plugins/use-persisted-documents.js';
import { useParsedBody } from './plugins/use-parsed-body.js';
import { useTracing } from './observability/tracing-plugin.js';
import { schema } from './schema/index.js';
import type { RequestPolicy } from './http/request-policy.js';
import type { OperationReports } from './observability/operation-report.js';
import type { TransactionUpdates } from './live/transaction-updates.js';
import type { WebhookService } from './webhooks/service.js';
import type { Reconciliation } from './reconciliation/report.js';

export interface GatewayYogaDeps {
  config: { server: Pick<Config['server'], 'graphiql'> };
  /** The rules every transport applies (src/http/request-policy.ts): documents, limits, schema hints. */
  policy: RequestPolicy;
  /** Each operation's log line and metrics, shared with the response cache's hits. */
  reports: OperationReports;
  client: KsPayClient;
  cache: CatalogCache;
  /** Settled transactions, answered with no upstream call (src/reads/settled-transactions.ts). */
  settled?: SettledTransactions;
  cursors: TransactionCursors;
  payments: PaymentService;
  updates: TransactionUpdates;
  webhooks: WebhookService;
  reconciliation: Reconciliation;
  logger: Logger;
  metrics: Metrics;
  /** Values for GraphiQL's example tabs (the built-in sandbox's ids), when known. */
  exampleIds?: ExampleIds;
  /** Set when tracing is on (src/observability/tracing.ts): a span per operation. */
  tracer?: Tracer;
  /** graphql-jit for the operations it compiles (default true; bench/ measures it off). */
  compiledExecution?: boolean;
  /** Extra envelop/yoga plugins, appended after the gateway's own (benchmarks, experiments). */
  plugins?: Plugin[];
}

export type GatewayYoga = YogaServerInstance<ServerContext, Context>;

/** yoga's parse cache, by estimated bytes (a parsed document is ~80× its text). */
const PARSE_CACHE_BYTES = 4 * 1024 * 1024;
/** A document that is not trusted is compiled by graphql-jit from its third use on. */
const COMPILE_FROM_USE = 3;

export function createGatewayYoga(deps: GatewayYogaDeps): GatewayYoga {
  const { config, policy } = deps;
  const { persisted, limits } = policy;
  const documents = createDocumentCache({ maxBytes: PARSE_CACHE_BYTES });
  // One set of live reads per instance: concurrent lookups of a key share upstream GETs (src/reads/live-reads.ts).
  const contextDeps = { ...deps, liveReads: createLiveReads(deps.client, deps.metrics.registry) };
  return createYoga<ServerContext, Context>({
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
      // After yoga's own request parsers, whose choice it keeps.
      useParsedBody(),
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
function worthCompiling(documents: DocumentCache, trusted: ReadonlyMap<string, string>) {
  return (document: DocumentNode): string | null => {
    const use = documents.useOf(document);
    return use && (use.uses >= COMPILE_FROM_USE || trusted.has(use.hash)) ? use.hash : null;
  };
}

/** Tells the client, in the response extensions, that part of the catalog is stale. */
function reportStaleCatalog(): Plugin<Context> {
  // One hooks object for every execution: it keeps nothing of its own.
  const hooks: ReturnType<NonNullable<Plugin<Context>['onExecute']>> = {
    onExecuteDone: ({ args, result, setResult }) => {
      const ageMs = (args.contextValue as Context).freshness.staleAgeMs;
      if (ageMs === null || Symbol.asyncIterator in result) return;
      setResult({ ...result, extensions: { ...result.extensions, catalog: { stale: true, ageMs } } });
    },
  };
  return { onExecute: () => hooks };
}

function refuseIntrospection(): Plugin<Context> {
  return { onValidate: ({ addValidationRule }) => addValidationRule(NoSchemaIntrospectionCustomRule) };
}
