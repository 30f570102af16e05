/**
 * The gateway as its own process (`src/main.ts`, as `npm start` runs it) in front of a
 * sandbox, so a test can measure that process's memory alone.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Sandbox } from '../../src/sandbox/server.js';

export interface GatewayProcess {
  url: string;
  pid: number;
  /** Resident set size of the gateway process, in bytes (Linux /proc). */
  rss(): number;
  /** Log lines written so far. */
  lines(): number;
  stop(): Promise<void>;
}

export async function startGatewayProcess(sandbox: Sandbox, env: Record<string, string>): Promise<GatewayProcess> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: {
      PATH: process.env.PATH,
      PORT: '0',
      KSPAY_BASE_URL: sandbox.url,
      KSPAY_APP_ID: sandbox.credentials.appId,
      KSPAY_ACCESS_KEY: sandbox.credentials.accessKey,
      KSPAY_SECRET_KEY: sandbox.credentials.secretKey,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let lines = 0;
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the gateway exited with ${code} before listening`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      lines += 1;
      const found = /"url":"(http:\/\/[^"]+)\/graphql"/.exec(line);
      if (found) resolve(found[1]);
    });
  });
  return {
    url,
    pid: child.pid!,
    rss: () => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))![1]) * 1024,
    lines: () => lines,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
