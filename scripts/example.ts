/**
 * `npm run example`: the example checkout app (examples/web) on Vite's dev server, with
 * the gateway and the built-in KS Pay sandbox in the same process; /graphql on the app's
 * origin is proxied to the gateway. Loopback only. PORT sets the app's port (default 5173,
 * or the next free one); LOG_LEVEL the gateway's log level (default info).
 */
import { startExample } from '../examples/web/server.js';

const port = process.env.PORT ? Number(process.env.PORT) : 5173;
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`PORT: not a port number: ${process.env.PORT}`);
  process.exit(1);
}

const example = await startExample({ port, logLevel: process.env.LOG_LEVEL || 'info', viteLogLevel: 'warn', onWebhook: (line) => console.log(line) });
console.log(`
  Example checkout app   ${example.url}
  GraphiQL               ${example.url}graphql   (proxied to the gateway at ${example.gatewayUrl}/graphql)
  KS Pay sandbox         ${example.sandboxUrl}
  Webhook receiver       ${example.webhooks.url}   (the shop's server: each signed delivery is printed here)

  Press Ctrl+C to stop.
`);

const stop = () => {
  void example.close().finally(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
