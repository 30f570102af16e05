/**
 * Entry point of a gateway process with test tuning (`startStack({ process: true, overrides })`,
 * ./stack-process.ts): the compiled src/ (./compiled-gateway.ts, TEST_COMPILED_DIST) run by plain
 * node, no tsx (which compiled src/ afresh at each start, about 2 s on a busy machine), configured
 * by the environment like `npm start`, plus TEST_APP_OVERRIDES (JSON: the app's `webhooks` and
 * `observability` overrides). Prints {"url": "…/graphql"} once listening.
 */
const dist = process.env.TEST_COMPILED_DIST;
const { createApp, listen } = await import(`${dist}/app.js`);
const { loadConfig } = await import(`${dist}/config.js`);

const config = loadConfig();
const app = createApp(config, { baseUrl: config.kspay.baseUrl, credentials: config.kspay.credentials }, JSON.parse(process.env.TEST_APP_OVERRIDES ?? '{}'));
const { url } = await listen(app, 0);
console.log(JSON.stringify({ url: `${url}/graphql` }));
