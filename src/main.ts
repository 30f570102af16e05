/**
 * The only side effects: read the configuration, start the built-in sandbox when no
 * upstream is configured, and listen.
 */
import { createApp, listen, type Upstream } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { listenErrorLine } from './http/listen-error.js';
import { listenMetrics } from './http/metrics-server.js';
import { startTracing, TracingConfigError } from './observability/tracing.js';

async function main(): Promise<void> {
  const config = loadConfig();
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
  if (sandboxUrl) logger.info({ sandboxUrl }, `KS Pay sandbox (built in) at ${sandboxUrl}`);
  if (!sandboxUrl && !config.apiKeys) {
    logger.warn('GATEWAY_AUTH=off: no client authentication; anyone who can reach this port can make payments');
  }
  const { server, url } = await listen(app, config.port, config.host);
  logger.info({ url: `${url}/graphql`, graphiql: config.graphiql }, `kspay-gateway at ${url}/graphql`);
  const metricsServer = config.metricsPort === null ? null : await listenMetrics(app.metrics, config.metricsPort, config.host);
  if (metricsServer) logger.info({ url: `${metricsServer.url}/metrics` }, `metrics at ${metricsServer.url}/metrics`);

  // A stray rejection must not take payments down with it: log it and keep serving.
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled rejection'));

  const shutdown = () => {
    server.close();
    server.closeAllConnections();
    metricsServer?.server.close();
    metricsServer?.server.closeAllConnections();
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
