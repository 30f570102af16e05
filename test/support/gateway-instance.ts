/**
 * Entry point of a gateway process with webhook tuning (`startStack({ process: true, overrides:
 * { webhooks } })`, ./stack-process.ts): configured by the environment like `npm start`, plus
 * TEST_WEBHOOK_TUNING (JSON: the app's `webhooks` overrides). Prints {"url": "…/graphql"} once listening.
 */
import { createApp, listen } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';

const config = loadConfig();
const app = createApp(
  config,
  { baseUrl: config.kspay.baseUrl!, credentials: config.kspay.credentials! },
  { webhooks: JSON.parse(process.env.TEST_WEBHOOK_TUNING ?? '{}') },
);
const { url } = await listen(app, 0);
console.log(JSON.stringify({ url: `${url}/graphql` }));
