/**
 * The sandbox on its own: `npm run sandbox`. Listens on SANDBOX_PORT (or PORT,
 * default 4010) and HOST (default 127.0.0.1). Prints the demo app id and access key;
 * the secret key is in src/sandbox/fixtures.ts, never printed.
 */
import { startSandbox } from './server.js';

function portFromEnv(): number {
  const raw = process.env.SANDBOX_PORT ?? process.env.PORT ?? '4010';
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port > 65_535) {
    console.error(`Configuration error: SANDBOX_PORT/PORT must be a port number, got ${JSON.stringify(raw)}`);
    process.exit(1);
  }
  return port;
}

const sandbox = await startSandbox({
  port: portFromEnv(),
  host: process.env.HOST ?? '127.0.0.1',
  publicUrl: process.env.SANDBOX_PUBLIC_URL,
});

console.log(`KS Pay sandbox at ${sandbox.url}`);
console.log(`  demo app id:     ${sandbox.credentials.appId}`);
console.log(`  demo access key: ${sandbox.credentials.accessKey}`);
console.log(`  control API:     ${sandbox.url}/__sandbox/calls (faults, shapes, tokens/expire)`);

const stop = () => {
  void sandbox.close().finally(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
