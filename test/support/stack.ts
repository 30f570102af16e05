/**
 * The one way a test starts the gateway: `startStack(options)`. By default a real sandbox and
 * the gateway in this process, each listening on a free loopback port; the options choose
 *   - `preset`: the configuration a caller meets (./presets.ts), then `env` and `overrides`;
 *   - `transport: 'fetch'`: no socket, operations go straight to yoga (./stack-fetch.ts);
 *   - `sharedSandbox`: one upstream for several gateways (closed by whoever started it);
 *   - `upstream`: a test's own stub of KS Pay instead of a sandbox (no `sandbox` then);
 *   - `process: true`: the gateway as its own process, `npm start` (./stack-process.ts).
 * The returned shape says what the test can reach: `app` in process, `pid`/`signal` in a process.
 */
import { Writable } from 'node:stream';
import { createApp, listen, type App, type AppOverrides } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/server.js';
import type { Upstream } from '../../src/services.js';
import { postGraphQL, type GraphQLCall } from './graphql-http.js';
import { closeServer } from './loopback.js';
import { presetEnv, presetOverrides, type Preset } from './presets.js';
import { startFetchGateway } from './stack-fetch.js';
import { startProcessStack, type ProcessStack, type ProcessStackOptions } from './stack-process.js';

export type { ProcessStack };

/** A gateway in front of any upstream. */
export interface Gateway {
  app: App;
  url: string;
  /** POSTs one operation to /graphql. */
  gql: GraphQLCall;
  /** Every log line the gateway wrote, when started with `captureLogs`. */
  logs(): string[];
  close(): Promise<void>;
}

/** A gateway in front of its own (or a shared) sandbox. */
export interface Stack extends Gateway {
  sandbox: Sandbox;
}

/** A stack without a socket: `gql` calls yoga's fetch. */
export type FetchStack = Omit<Stack, 'url'>;

export interface GatewayOptions {
  /** The configuration before `env`: `development` (the defaults) unless said. */
  preset?: Preset;
  env?: Record<string, string>;
  overrides?: AppOverrides;
  /** Default headers on every request (e.g. an API key). */
  headers?: Record<string, string>;
  /** Keep the gateway's log lines (at LOG_LEVEL, default info) for `logs()`. */
  captureLogs?: boolean;
}

export interface StackOptions extends GatewayOptions {
  transport?: 'http' | 'fetch';
  sandbox?: SandboxOptions;
  /** Reuse a running sandbox (e.g. two gateways on one upstream). */
  sharedSandbox?: Sandbox;
}

export interface UpstreamOptions extends GatewayOptions {
  /** A test's stub KS Pay (or a sandbox reached with other credentials). */
  upstream: Upstream;
}

export function startStack(options: ProcessStackOptions): Promise<ProcessStack>;
export function startStack(options: UpstreamOptions): Promise<Gateway>;
export function startStack(options: StackOptions & { transport: 'fetch' }): Promise<FetchStack>;
export function startStack(options?: StackOptions): Promise<Stack>;
export async function startStack(options: StackOptions | UpstreamOptions | ProcessStackOptions = {}): Promise<Stack | FetchStack | Gateway | ProcessStack> {
  if ('process' in options) return startProcessStack(options);
  if ('upstream' in options) return startGateway(options.upstream, options);
  const { sharedSandbox } = options;
  const sandbox = sharedSandbox ?? (await startSandbox(options.sandbox));
  const gateway =
    options.transport === 'fetch'
      ? startFetchGateway(createTestApp(upstreamOf(sandbox), options), options.headers)
      : await startGateway(upstreamOf(sandbox), options);
  return {
    ...gateway,
    sandbox,
    async close() {
      await gateway.close();
      if (!sharedSandbox) await sandbox.close();
    },
  };
}

async function startGateway(upstream: Upstream, options: GatewayOptions): Promise<Gateway> {
  const { app, logs } = createTestApp(upstream, options);
  const { server, url } = await listen(app, 0);
  return {
    app,
    url,
    gql: (document, variables, headers) => postGraphQL(`${url}/graphql`, document, variables as Record<string, unknown>, { ...options.headers, ...headers }),
    logs,
    async close() {
      app.websocket.close(); // upgraded sockets are not the HTTP server's to close
      await closeServer(server);
      await app.close();
    },
  };
}

/** The app as `src/app.ts` assembles it for `upstream`, silent unless its log lines are kept for the test. */
export interface TestApp {
  app: App;
  config: Config;
  logs(): string[];
}

function createTestApp(upstream: Upstream, options: GatewayOptions): TestApp {
  const lines: string[] = [];
  const preset = options.preset ?? 'development';
  const config = loadConfig({ LOG_LEVEL: options.captureLogs ? 'info' : 'silent', ...presetEnv(preset), ...options.env });
  const logDestination = options.captureLogs
    ? new Writable({
        write(chunk: Buffer, _encoding, done) {
          lines.push(...chunk.toString().split('\n').filter(Boolean));
          done();
        },
      })
    : undefined;
  const app = createApp(config, upstream, { logDestination, ...presetOverrides(preset), ...options.overrides });
  return { app, config: app.config, logs: () => [...lines] };
}

/** Where a gateway reaches the sandbox, and with which merchant credentials. */
export function upstreamOf(sandbox: Sandbox): Upstream {
  return { baseUrl: sandbox.url, credentials: sandbox.credentials };
}
