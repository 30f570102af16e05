/**
 * One gateway instance as its own process, so a test can SIGKILL it mid-delivery and
 * mid-watch. Configured by the environment like `npm start`, plus TEST_WEBHOOK_TUNING (JSON:
 * the app's `webhooks` overrides). Prints one line, {"url": "…/graphql"}, once listening.
 */
import { fileURLToPath } from 'node:url';
import { createApp, listen } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import type { Sandbox } from '../../src/sandbox/server.js';
import { startGatewayProcess, type GatewayProcess } from './gateway-process.js';

export function startInstanceProcess(sandbox: Sandbox, env: Record<string, string>, tuning: unknown): Promise<GatewayProcess> {
  const settings = { LOG_LEVEL: 'silent', GATEWAY_AUTH: 'off', TEST_WEBHOOK_TUNING: JSON.stringify(tuning), ...env };
  return startGatewayProcess(sandbox, settings, fileURLToPath(import.meta.url));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const config = loadConfig();
  const app = createApp(
    config,
    { baseUrl: config.kspay.baseUrl!, credentials: config.kspay.credentials! },
    { webhooks: JSON.parse(process.env.TEST_WEBHOOK_TUNING ?? '{}') },
  );
  const { url } = await listen(app, 0);
  console.log(JSON.stringify({ url: `${url}/graphql` }));
}
