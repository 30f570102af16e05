/**
 * The gateway as its own process (`src/main.ts`, as `npm start` runs it, or another entry
 * point) in front of a sandbox: to measure that process's memory alone, to read everything
 * it prints, or to kill it mid-work.
 */
import { readFileSync } from 'node:fs';
import type { Sandbox } from '../../src/sandbox/server.js';
import { postGraphQL, type GraphQLCall } from './harness.js';
import { runScript } from './processes.js';

export interface GatewayProcess {
  url: string;
  pid: number;
  /** POSTs one operation to /graphql. */
  gql: GraphQLCall;
  /** Resident set size of the gateway process, in bytes (Linux /proc). */
  rss(): number;
  /** Log lines written to stdout so far. */
  lines(): number;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  /** SIGTERM by default; SIGKILL to cut it off mid-work. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Sends `signal` without waiting (a shutdown test watches what follows). */
  signal(signal: NodeJS.Signals): void;
  /** Resolves with the exit code once the process has ended (null when a signal ended it). */
  exited: Promise<number | null>;
}

/**
 * The entry point must print a line holding `"url":"http://…/graphql"` once it listens (main.ts's
 * start-up log line). The gateway is configured for the sandbox, then by `env`.
 */
export async function startGatewayProcess(sandbox: Sandbox, env: Record<string, string>, entry = 'src/main.ts'): Promise<GatewayProcess> {
  const gateway = runScript(entry, { PORT: '0', ...sandboxEnv(sandbox), ...env });
  const [, url] = await gateway.waitFor(/"url":"(http:\/\/[^"]+)\/graphql"/);
  // The start-up login (a token and the currency list: src/start-up.ts) is not what a test counts.
  sandbox.calls.reset();
  const pid = gateway.child.pid!;
  return {
    url: url!,
    pid,
    gql: (document, variables, headers) => postGraphQL(`${url}/graphql`, document, variables as Record<string, unknown>, headers),
    rss: () => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) * 1024,
    lines: () => gateway.stdout().split('\n').filter(Boolean).length,
    output: gateway.output,
    stop: gateway.stop,
    signal: (signal) => void gateway.child.kill(signal),
    exited: gateway.exited.then(({ code }) => code),
  };
}

/** The variables that point a gateway at the sandbox with its merchant credentials. */
export function sandboxEnv(sandbox: Sandbox): Record<string, string> {
  const { appId, accessKey, secretKey } = sandbox.credentials;
  return { KSPAY_BASE_URL: sandbox.url, KSPAY_APP_ID: appId, KSPAY_ACCESS_KEY: accessKey, KSPAY_SECRET_KEY: secretKey };
}
