/**
 * One server of the benchmark in a process of its own, so that it never shares an event
 * loop with the load generator or with another server. The benchmark runs it compiled
 * (bench/compiled.ts), as the image runs dist/; from the sources it is:
 *
 *   node --import tsx bench/serve.ts sandbox   the KS Pay sandbox (driven over its /__sandbox/ API)
 *   node --import tsx bench/serve.ts gateway   the gateway, configured from the environment as in
 *                                              production (src/main.ts), behind its front door
 *   node --import tsx bench/serve.ts naive     the naive gateway (bench/naive-gateway.ts) on KSPAY_*
 *   node --import tsx bench/serve.ts floor     a bare node:http server answering fixed bytes (bench/floor.ts)
 *
 * It prints `<role> at <url>` once listening and stops on SIGTERM. BENCH_WITHOUT
 * (`response-cache`, `compiled-execution`, `node-http`) turns those features of the gateway
 * off, to measure what each is worth.
 *
 * A parent that spawned it with an IPC channel (bench/children.ts) can ask it how many
 * requests it is still handling and for its memory, after a forced GC (full, then last-resort) when it runs with
 * --expose-gc. The channel exists only for that parent: nothing of this is reachable
 * over HTTP.
 */
import type { Plugin } from 'graphql-yoga';
import { EventEmitter } from 'node:events';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp, listen, type AppOverrides } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { KsPayClient } from '../src/kspay/client.js';
import { startSandbox } from '../src/sandbox/server.js';
import type { ControlReply, ControlRequest, Role } from './children.js';
import { createFloor } from './floor.js';
import { createNaiveGateway } from './naive-gateway.js';

/** Requests received and not yet fully handled, including those whose client has gone. */
let busy = 0;
/** Extra control messages of a role (the floor's new answer). */
let onControl: ((request: ControlRequest) => ControlReply | null) | null = null;

/**
 * Counts the gateway's operations while they execute: autocannon abandons its requests in
 * flight when time is up, and the front door's handler returns before they have run, but the
 * gateway still runs them to the end (and calls upstream for them). Counted around execution,
 * which every operation reaches whichever way it came (the front door's own stage or yoga's).
 */
function countBusy(): Plugin {
  return {
    onExecute({ executeFn, setExecuteFn }) {
      setExecuteFn(async (args) => {
        busy += 1;
        try {
          return await executeFn(args);
        } finally {
          busy -= 1;
        }
      });
    },
  };
}

/** BENCH_WITHOUT (`response-cache`, `compiled-execution`, `posted-operation`): what the measured gateway runs without. */
function without(names: string): NonNullable<AppOverrides['without']> {
  const off: NonNullable<AppOverrides['without']> = {};
  for (const name of names.split(',').filter(Boolean)) {
    if (name === 'response-cache') off.responseCache = true;
    else if (name === 'compiled-execution') off.compiledExecution = true;
    else if (name === 'posted-operation') off.postedOperation = true;
    else if (name === 'node-http')
      continue; // the KS Pay client's transport: see startGateway
    else throw new Error(`BENCH_WITHOUT: unknown feature ${JSON.stringify(name)}`);
  }
  return off;
}

async function startGateway(): Promise<{ url: string; stop(): Promise<void> }> {
  const config = loadConfig();
  if (!config.kspay.baseUrl || !config.kspay.credentials) throw new Error('the bench gateway needs KSPAY_BASE_URL and credentials');
  const app = createApp(
    config,
    { baseUrl: config.kspay.baseUrl, credentials: config.kspay.credentials },
    {
      plugins: [countBusy()],
      without: without(process.env.BENCH_WITHOUT ?? ''),
      // What the client's node:http transport is worth: KS Pay called through global fetch, as before issue 22.
      ...((process.env.BENCH_WITHOUT ?? '').split(',').includes('node-http') ? { client: { fetch: globalThis.fetch } } : {}),
    },
  );
  const { server, url } = await listen(app, 0);
  return {
    url,
    async stop() {
      await closeServer(server);
      await app.close();
    },
  };
}

async function startNaive(): Promise<{ url: string; stop(): Promise<void> }> {
  const config = loadConfig();
  if (!config.kspay.baseUrl || !config.kspay.credentials) throw new Error('the naive gateway needs KSPAY_BASE_URL and credentials');
  const client = new KsPayClient({ baseUrl: config.kspay.baseUrl, ...config.kspay.credentials, timeoutMs: config.kspay.timings.callTimeoutMs });
  const yoga = createNaiveGateway(client);
  // yoga's node handler resolves once it has answered, even when the client has gone.
  const { server, url } = await serve((req, res) => {
    busy += 1;
    const done = () => void (busy -= 1);
    Promise.resolve(yoga(req, res)).then(done, done);
  });
  return {
    url,
    async stop() {
      await closeServer(server);
      await client.close();
    },
  };
}

async function startFloor(): Promise<{ url: string; stop(): Promise<void> }> {
  const floor = createFloor();
  onControl = (request) => {
    if (request.type !== 'respond') return null;
    floor.respondWith(request.response);
    return { ok: true };
  };
  const { server, url } = await serve(floor.listener);
  return { url, stop: () => closeServer(server) };
}

async function startSandboxRole(): Promise<{ url: string; stop(): Promise<void> }> {
  // Every delayed answer waits on the sandbox's one shared AbortSignal: with added
  // latency, hundreds at once are expected, not a leak (Node warns past 10 listeners).
  EventEmitter.defaultMaxListeners = 10_000;
  const sandbox = await startSandbox({ port: 0, host: '127.0.0.1' });
  return { url: sandbox.url, stop: () => sandbox.close() };
}

async function serve(listener: RequestListener): Promise<{ server: Server; url: string }> {
  const server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}` };
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

function answer(request: ControlRequest): ControlReply {
  switch (request.type) {
    case 'busy':
      return { busy };
    case 'memory': {
      const gc = (globalThis as { gc?: (options?: { type: 'major'; execution: 'sync'; flavor: 'last-resort' }) => void }).gc;
      if (request.gc) {
        if (!gc) return { error: 'a forced GC needs --expose-gc' };
        // Then the collection V8 runs when memory is short (what its memory reducer does once load stops):
        // it unmaps the heap pages V8 pools for reuse, so RSS is what the process keeps, not how lazily
        // it gives back. The memory tests read RSS the same way (test/support/gc-probe.cjs).
        gc();
        gc({ type: 'major', execution: 'sync', flavor: 'last-resort' });
      }
      return { memory: process.memoryUsage() };
    }
    default:
      return onControl?.(request) ?? { error: `unknown control message ${JSON.stringify(request.type)}` };
  }
}

const starters: Record<Role, () => Promise<{ url: string; stop(): Promise<void> }>> = {
  sandbox: startSandboxRole,
  gateway: startGateway,
  naive: startNaive,
  floor: startFloor,
};

const role = process.argv[2] as Role;
if (!Object.hasOwn(starters, role)) {
  console.error(`usage: bench/serve.ts ${Object.keys(starters).join('|')}`);
  process.exit(2);
}
const started = await starters[role]();
if (process.send) {
  process.on('message', (message: { id: number; request: ControlRequest }) => {
    process.send!({ id: message.id, reply: answer(message.request) });
  });
  // The benchmark has gone (even killed): never outlive it.
  process.once('disconnect', () => void started.stop().finally(() => process.exit(0)));
}
process.once('SIGTERM', () => void started.stop().finally(() => process.exit(0)));
console.log(`${role} at ${started.url}`);
