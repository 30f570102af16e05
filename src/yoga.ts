/**
 * createGateway(deps) → the yoga instance with every plugin wired. No side effects:
 * main.ts gives it a client and a port, tests give it a sandbox and call it over HTTP.
 */
import { NoSchemaIntrospectionCustomRule } from 'graphql';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { createYoga, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import { createAuthenticator } from './auth.js';
import type { CatalogCache } from './cache.js';
import type { Config } from './config.js';
import { createContext, type Context } from './context.js';
import { type ExampleIds, graphiqlTabs } from './graphiql.js';
import type { KsPayClient } from './kspay/client.js';
import { maskError } from './mask-error.js';
import type { PaymentService } from './payments.js';
import { schema } from './schema/index.js';

export interface GatewayDeps {
  config: Pick<Config, 'apiKeys' | 'graphiql' | 'introspection' | 'logLevel'>;
  client: KsPayClient;
  cache: CatalogCache;
  payments: PaymentService;
  /** Values for GraphiQL's example tabs (the built-in sandbox's ids), when known. */
  exampleIds?: ExampleIds;
  /** Extra envelop/yoga plugins, appended after the gateway's own (benchmarks, experiments). */
  plugins?: Plugin[];
}

export type Gateway = YogaServerInstance<Record<string, unknown>, Context>;

export function createGateway(deps: GatewayDeps): Gateway {
  const authenticate = createAuthenticator(deps.config.apiKeys);
  return createYoga<Record<string, unknown>, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    // GraphiQL's assets are served from this package, not a CDN: the gateway may have no internet.
    renderGraphiQL,
    logging: yogaLogLevel(deps.config.logLevel),
    context: (initial) => createContext({ ...deps, authenticate }, initial),
    maskedErrors: { maskError },
    graphiql: deps.config.graphiql
      ? { title: 'KS Pay gateway', defaultTabs: graphiqlTabs(deps.exampleIds), shouldPersistHeaders: false }
      : false,
    plugins: [reportStaleCatalog(), ...(deps.config.introspection ? [] : [refuseIntrospection()]), ...(deps.plugins ?? [])],
  });
}

/** Tells the client, in the response extensions, that part of the catalog is stale. */
function reportStaleCatalog(): Plugin<Context> {
  return {
    onExecute: () => ({
      onExecuteDone: ({ args, result, setResult }) => {
        const ageMs = (args.contextValue as Context).freshness.staleAgeMs;
        if (ageMs === null || !result || Symbol.asyncIterator in result) return;
        setResult({ ...result, extensions: { ...result.extensions, catalog: { stale: true, ageMs } } });
      },
    }),
  };
}

function refuseIntrospection(): Plugin<Context> {
  return { onValidate: ({ addValidationRule }) => addValidationRule(NoSchemaIntrospectionCustomRule) };
}

function yogaLogLevel(level: Config['logLevel']): 'debug' | 'info' | 'warn' | 'error' | false {
  if (level === 'silent') return false;
  if (level === 'trace') return 'debug';
  if (level === 'fatal') return 'error';
  return level;
}
