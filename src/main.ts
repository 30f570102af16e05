/**
 * The only side effects: read the configuration, start the built-in sandbox when no
 * upstream is configured (and nothing says production: src/config/built-in-sandbox.ts), or else check the
 * merchant credentials with KS Pay, and listen.
 */
import type { Upstream } from './services.js';
import type { ExampleIds } from './graphiql.js';
import { ConfigError, loadConfig } from './config.js';
import { listenErrorLine } from './http/listen-error.js';
import { drainOnSignals } from './lifecycle/drain.js';
import { listenMetrics } from './http/metrics-server.js';
import { startTracing, TracingConfigError } from './observability/tracing.js';
import { builtInSandboxLine, checkKsPayAtStart, unsupportedNodeLine } from './start-up.js';
import { startUpBanner } from './start-up-banner.js';
import { checkRedisPersistence } from './stores/redis-persistence.js';
import { redisTopologyOf } from './stores/redis-topology.js';

async function main(): Promise<void> {
  const unsupported = unsupportedNodeLine();
  if (unsupported) {
    console.error(unsupported);
    process.exit(1);
  }
  const config = loadConfig();
  // A Redis that keeps nothing stops start-up (ConfigError) unless REDIS_ACCEPT_DATA_LOSS=true.
  const redisTopology = redisTopologyOf(config.redis);
  const redisPersistence = redisTopology ? await checkRedisPersistence(redisTopology, config.redis.acceptDataLoss) : null;
  // Before anything else runs: nothing at all when no OTEL_* variable asks for traces.
  const tracing = startTracing();
  // The application's modules only once the configuration holds: a refused start-up answers in a fraction of the time.
  const { createApp, listen } = await import('./app.js');
  let upstream: Upstream;
  let stopSandbox: (() => Promise<void>) | null = null;
  let exampleIds: ExampleIds | undefined;
  let sandboxUrl: string | null = null;

  if (config.kspay.baseUrl === null) {
    const { startSandbox } = await import('./sandbox/server.js');
    const { exampleIdsOf } = await import('./sandbox/fixtures.js');
    const sandbox = await startSandbox();
    upstream = { baseUrl: sandbox.url, credentials: sandbox.credentials };
    stopSandbox = () => sandbox.close();
    exampleIds = exampleIdsOf();
    sandboxUrl = sandbox.url;
  } else {
    upstream = { baseUrl: config.kspay.baseUrl, credentials: config.kspay.credentials! };
  }

  const app = createApp(config, upstream, { exampleIds, tracing });
  const { logger } = app;
  if (!sandboxUrl) await checkKsPayAtStart(app, upstream.baseUrl);
  if (redisPersistence === 'accepted-loss')
    logger.warn('REDIS_ACCEPT_DATA_LOSS=true: Redis keeps nothing across a restart; a loss is detected and new references are looked up in KS Pay');
  if (redisPersistence === 'unreachable') logger.warn('Redis could not be reached at start-up to check its persistence; initiates are refused until it can be');
  if (!sandboxUrl && !config.auth.apiKeys) {
    logger.warn('GATEWAY_AUTH=off: no client authentication; anyone who can reach this port can make payments');
  }
  const { server, url } = await listen(app, config.server.port, config.server.host);
  // Only once listening: a port in use is then the one line printed, with no "sandbox at" line before it.
  if (sandboxUrl) logger.warn({ sandboxUrl }, builtInSandboxLine(sandboxUrl));
  logger.info({ url: `${url}/graphql`, graphiql: config.server.graphiql }, `kspay-gateway at ${url}/graphql`);
  const metricsServer = config.server.metricsPort === null ? null : await listenMetrics(app.metrics, config.server.metricsPort, config.server.host);
  if (metricsServer) logger.info({ url: `${metricsServer.url}/metrics` }, `metrics at ${metricsServer.url}/metrics`);
  // A person at a terminal gets a banner too; piped output (a log collector) stays JSON lines.
  if (process.stdout.isTTY) console.log(startUpBanner({ url, sandboxUrl, graphiql: config.server.graphiql, metricsUrl: metricsServer?.url ?? null }));

  // A stray rejection must not take payments down with it: log it and keep serving.
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled rejection'));

  // SIGTERM/SIGINT: drain, then exit 0; a second signal exits at once (src/lifecycle/drain.ts).
  const afterClose = async () => {
    await stopSandbox?.();
    await tracing?.shutdown();
    if (metricsServer) {
      metricsServer.server.closeAllConnections();
      await new Promise((resolve) => metricsServer.server.close(resolve));
    }
  };
  drainOnSignals({ server, app, drainMs: config.server.shutdownDrainMs, afterClose });
}

main().catch((error: unknown) => {
  // Every configuration problem on a line of its own, all at once.
  const configError = error instanceof ConfigError || error instanceof TracingConfigError;
  const line = configError
    ? error.message
        .split('\n')
        .map((problem) => `Configuration error: ${problem}`)
        .join('\n')
    : listenErrorLine(error, 'PORT');
  console.error(line ?? error);
  process.exit(1);
});
