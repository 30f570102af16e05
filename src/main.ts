/**
 * The only side effects: read the configuration, start the built-in sandbox when no
 * upstream is configured, and listen.
 */
import { createApp, listen, type Upstream } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { listenErrorLine } from './http/listen-error.js';
import { startTracing, TracingConfigError } from './observability/tracing.js';
import { checkRedisPersistence } from './stores/redis-persistence.js';

async function main(): Promise<void> {
  const config = loadConfig();
  // A Redis that keeps nothing stops start-up (ConfigError) unless REDIS_ACCEPT_DATA_LOSS=true.
  const redisPersistence = config.redisUrl ? await checkRedisPersistence(config.redisUrl, config.redisAcceptDataLoss) : null;
  // Before anything else runs: nothing at all when no OTEL_* variable asks for traces.
  const tracing = startTracing();
  let upstream: Upstream;
  let stopSandbox: (() => Promise<void>) | null = null;
  let exampleIds;
  let sandboxUrl: string | null = null;

  if (config.kspayBaseUrl === null) {
    const { startSandbox } = await import('./sandbox/server.js');
    const { exampleIdsOf } = await import('./sandbox/fixtures.js');
    const sandbox = await startSandbox();
    upstream = { baseUrl: sandbox.url, credentials: config.credentials ?? sandbox.credentials };
    stopSandbox = () => sandbox.close();
    exampleIds = exampleIdsOf();
    sandboxUrl = sandbox.url;
  } else {
    upstream = { baseUrl: config.kspayBaseUrl, credentials: config.credentials! };
  }

  const app = createApp(config, upstream, { exampleIds, tracing });
  const { logger } = app;
  if (redisPersistence === 'accepted-loss') logger.warn('REDIS_ACCEPT_DATA_LOSS=true: Redis keeps nothing across a restart; a loss is detected and new references are looked up in KS Pay');
  if (redisPersistence === 'unreachable') logger.warn('Redis could not be reached at start-up to check its persistence; initiates are refused until it can be');
  if (sandboxUrl) logger.info({ sandboxUrl }, `KS Pay sandbox (built in) at ${sandboxUrl}`);
  if (!sandboxUrl && !config.apiKeys) {
    logger.warn('GATEWAY_AUTH=off: no client authentication; anyone who can reach this port can make payments');
  }
  const { server, url } = await listen(app, config.port, config.host);
  logger.info({ url: `${url}/graphql`, graphiql: config.graphiql }, `kspay-gateway at ${url}/graphql`);

  // A stray rejection must not take payments down with it: log it and keep serving.
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled rejection'));

  const shutdown = () => {
    server.close();
    server.closeAllConnections();
    void Promise.all([app.close(), stopSandbox?.()])
      .then(() => tracing?.shutdown())
      .finally(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  const line = error instanceof ConfigError || error instanceof TracingConfigError ? `Configuration error: ${error.message}` : listenErrorLine(error, 'PORT');
  console.error(line ?? error);
  process.exit(1);
});
