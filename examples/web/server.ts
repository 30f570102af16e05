/**
 * Serves the example checkout app beside the gateway and the built-in KS Pay sandbox,
 * all in this process: the sandbox (with its hosted checkout page), the gateway over it,
 * and Vite's dev server for examples/web with /graphql proxied to the gateway, so the
 * page calls the gateway on its own origin (no CORS). Used by `npm run example`
 * (scripts/example.ts) and by the browser tests.
 */
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { createServer, type LogLevel } from 'vite';
import { createApp, listen } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { exampleIdsOf } from '../../src/sandbox/fixtures.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/server.js';
import { randomBytes } from 'node:crypto';
import { describeDelivery, startWebhookReceiver, type WebhookReceiver } from './webhook-receiver.js';
import { FAVICON_SVG } from '../../src/http/payment-return.js';

const WEB_ROOT = fileURLToPath(new URL('.', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface ExampleOptions {
  /** The web app's port; 0 picks a free one. Default 5173 (the next free one if taken). */
  port?: number;
  /** The gateway's port; default 0 (a free one). */
  gatewayPort?: number;
  /** Loopback only by default; the sandbox and the gateway always listen on 127.0.0.1. */
  host?: string;
  /** The gateway's LOG_LEVEL; default 'info'. */
  logLevel?: string;
  /** Vite's own log level; default 'info'. */
  viteLogLevel?: LogLevel;
  /** Vite's file watcher and hot reload; default true (the tests turn them off). */
  watch?: boolean;
  /** Each verified delivery the shop's webhook receiver gets, as one line (`npm run example` prints them). */
  onWebhook?: (line: string) => void;
}

export interface RunningExample {
  /** The checkout app, e.g. 'http://127.0.0.1:5173/'. */
  url: string;
  /** The gateway, e.g. 'http://127.0.0.1:40123' (GraphiQL at `${gatewayUrl}/graphql`). */
  gatewayUrl: string;
  /** The built-in KS Pay sandbox's URL. */
  sandboxUrl: string;
  /** The sandbox itself (its transactions, for the tests' assertions). */
  sandbox: Sandbox;
  /** The shop's webhook receiver: orders it has been told are paid (signature verified). */
  webhooks: WebhookReceiver;
  close(): Promise<void>;
}

export async function startExample(options: ExampleOptions = {}): Promise<RunningExample> {
  const stack: (() => Promise<void>)[] = [];
  let closed: Promise<void> | undefined;
  const close = () =>
    (closed ??= (async () => {
      for (const stop of stack.reverse()) await stop().catch(() => undefined);
    })());

  try {
    const sandbox = await startSandbox({ host: '127.0.0.1' });
    stack.push(() => sandbox.close());

    // The shop's side of webhooks: paid orders arrive here even when the customer never comes back.
    const secret = `whsec_${randomBytes(32).toString('base64')}`;
    const { onWebhook } = options;
    const webhooks = await startWebhookReceiver({ secrets: [secret], onEvent: onWebhook && ((event, repeat) => onWebhook(describeDelivery(event, repeat))) });
    stack.push(() => webhooks.close());

    // No KSPAY_BASE_URL: the gateway's built-in sandbox defaults (GraphiQL on, no client keys).
    const config = loadConfig({ LOG_LEVEL: options.logLevel ?? 'info', WEBHOOK_URL: webhooks.url, WEBHOOK_SECRET: secret });
    const app = createApp(config, { baseUrl: sandbox.url, credentials: sandbox.credentials }, { exampleIds: exampleIdsOf() });
    stack.push(() => app.close());
    const gateway = await listen(app, options.gatewayPort ?? 0, '127.0.0.1');
    stack.push(
      () =>
        new Promise<void>((resolve) => {
          gateway.server.close(() => resolve());
          gateway.server.closeAllConnections();
        }),
    );

    const web = await startDevServer(options, gateway.url);
    stack.push(() => web.close());
    return { url: web.url, gatewayUrl: gateway.url, sandboxUrl: sandbox.url, sandbox, webhooks, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Vite serving the app, with /graphql proxied to the gateway. */
async function startDevServer(options: ExampleOptions, gatewayUrl: string): Promise<{ url: string; close(): Promise<void> }> {
  const watch = options.watch ?? true;
  const vite = await createServer({
    configFile: false,
    root: WEB_ROOT,
    // Pre-bundled dependencies live apart from other Vite users of node_modules/.vite.
    cacheDir: `${REPO_ROOT}node_modules/.vite/examples-web`,
    logLevel: options.viteLogLevel ?? 'info',
    clearScreen: false,
    appType: 'spa',
    server: {
      host: options.host ?? '127.0.0.1',
      port: options.port ?? 5173,
      strictPort: false,
      hmr: watch,
      watch: watch ? {} : null,
      proxy: { '/graphql': { target: gatewayUrl } },
    },
    plugins: [
      {
        // Browsers ask for /favicon.ico whatever the page says: the gateway's card icon, not a 404.
        name: 'favicon',
        configureServer(server) {
          server.middlewares.use('/favicon.ico', (_request, response) => {
            response.setHeader('content-type', 'image/svg+xml');
            response.end(FAVICON_SVG);
          });
        },
      },
    ],
    // Bundled at start-up, not on the first page load: no reload in the middle of a visit.
    optimizeDeps: { include: ['graphql-request', 'graphql'] },
  });
  try {
    await vite.listen();
    const address = vite.httpServer?.address() as AddressInfo | null;
    if (!address) throw new Error('the Vite dev server is not listening');
    const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return { url: `http://${shownHost}:${address.port}/`, close: () => vite.close() };
  } catch (error) {
    await vite.close();
    throw error;
  }
}
