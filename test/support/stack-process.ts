/**
 * The gateway as its own process (src/main.ts compiled, as the production image runs it) in front of a running
 * sandbox: `startStack({ process: true, sharedSandbox })`, to measure that process's memory
 * alone, to read everything it prints, or to kill it mid-work. Its shape differs from an
 * in-process stack's: no `app` to reach into, but a pid, its output and signals.
 */
import { readFileSync } from 'node:fs';
import type { AppOverrides } from '../../src/app.js';
import type { Sandbox } from '../../src/sandbox/server.js';
import { postGraphQL, type GraphQLCall } from './graphql-http.js';
import { presetEnv, type Preset } from './presets.js';
import { runGateway, runGatewayInstance } from './processes.js';

export interface ProcessStackOptions {
  process: true;
  /** The upstream, started by the test: it outlives the process it kills. */
  sharedSandbox: Sandbox;
  preset?: Preset;
  env?: Record<string, string>;
  /** Only webhook and observability tuning cross into a process (as JSON, read by ./gateway-instance.mjs). */
  overrides?: Pick<AppOverrides, 'webhooks' | 'observability'>;
}

export interface ProcessStack {
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

/** Waits for the start-up line holding `"url":"http://…/graphql"` (main.ts's, or the instance entry's). */
export async function startProcessStack(options: ProcessStackOptions): Promise<ProcessStack> {
  const { sharedSandbox: sandbox, overrides } = options;
  const tuning: Record<string, string> = overrides ? { LOG_LEVEL: 'silent', GATEWAY_AUTH: 'off', TEST_APP_OVERRIDES: JSON.stringify(overrides) } : {};
  const env = { PORT: '0', ...sandboxEnv(sandbox), ...tuning, ...presetEnv(options.preset ?? 'development'), ...options.env };
  const gateway = overrides ? runGatewayInstance(env) : runGateway(env);
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
