/**
 * The only side effects: read the configuration, start the built-in sandbox when no
 * upstream is configured, and listen.
 */
import { createApp, listen, type Upstream } from './app.js';
import { ConfigError, loadConfig } from './config.js';

async function main(): Promise<void> {
  const config = loadConfig();
  let upstream: Upstream;
  let stopSandbox: (() => Promise<void>) | null = null;
  let exampleIds;

  if (config.kspayBaseUrl === null) {
    const { startSandbox } = await import('./sandbox/server.js');
    const { exampleIdsOf } = await import('./sandbox/fixtures.js');
    const sandbox = await startSandbox();
    upstream = { baseUrl: sandbox.url, credentials: config.credentials ?? sandbox.credentials };
    stopSandbox = () => sandbox.close();
    exampleIds = exampleIdsOf();
    console.log(`KS Pay sandbox (built in) at ${sandbox.url}`);
  } else {
    upstream = { baseUrl: config.kspayBaseUrl, credentials: config.credentials! };
    if (!config.apiKeys) console.warn('WARNING: GATEWAY_AUTH=off: anyone who can reach this port can make payments.');
  }

  const app = createApp(config, upstream, { exampleIds });
  const { server, url } = await listen(app, config.port, config.host);
  console.log(`kspay-gateway at ${url}/graphql${config.graphiql ? ' (GraphiQL: open it in a browser)' : ''}`);

  const shutdown = () => {
    server.close();
    server.closeAllConnections();
    void Promise.all([app.close(), stopSandbox?.()]).finally(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? `Configuration error: ${error.message}` : error);
  process.exit(1);
});
