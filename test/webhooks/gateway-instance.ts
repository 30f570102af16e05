/**
 * One gateway instance as its own process, so a test can SIGKILL it mid-delivery and
 * mid-watch. Configured by the environment like `npm start`, plus WEBHOOK_TUNING (JSON:
 * the app's `webhooks` overrides). Prints one line, {"url": …}, once listening.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createApp, listen } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import type { Sandbox } from '../../src/sandbox/server.js';

export interface InstanceProcess {
  url: string;
  kill(): Promise<void>;
}

export async function startInstanceProcess(sandbox: Sandbox, env: Record<string, string>, tuning: unknown): Promise<InstanceProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], {
    env: {
      PATH: process.env.PATH,
      LOG_LEVEL: 'silent',
      KSPAY_BASE_URL: sandbox.url,
      KSPAY_APP_ID: sandbox.credentials.appId,
      KSPAY_ACCESS_KEY: sandbox.credentials.accessKey,
      KSPAY_SECRET_KEY: sandbox.credentials.secretKey,
      GATEWAY_AUTH: 'off',
      WEBHOOK_TUNING: JSON.stringify(tuning),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the instance exited with ${code} before listening`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const found = /^\{"url":"([^"]+)"\}$/.exec(line);
      if (found) resolve(found[1]);
    });
  });
  return {
    url,
    kill: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const config = loadConfig();
  const app = createApp(
    config,
    { baseUrl: config.kspayBaseUrl!, credentials: config.credentials! },
    { webhooks: JSON.parse(process.env.WEBHOOK_TUNING ?? '{}') },
  );
  const { url } = await listen(app, 0);
  console.log(JSON.stringify({ url }));
}
