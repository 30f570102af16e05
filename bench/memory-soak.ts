/**
 * Is the gateway's memory flat under sustained load? A mixed load (catalog, one
 * transaction, a page of 50, an initiate with a new reference, in turn on every
 * connection) runs for a warm-up and then a measured window in which the process's RSS
 * is sampled at fixed intervals. The target: max/min ≤ 1.2.
 *
 * Unlike the throughput cases, this runs in processes of its own. The soak is a fresh
 * Node process (started with --expose-gc), so what earlier cases left in the heap does
 * not pad the baseline; it holds the gateway (with its idempotency records, kept for
 * 24 h by design) and the load generator. The sandbox is a child of it: it keeps every
 * transaction it is sent, forever, and that growth is the sandbox's, not the gateway's.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createApp, listen } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { DEMO_APP } from '../src/sandbox/fixtures.js';
import { graphqlRequest, seed, type Shape } from './cases.js';
import { graphqlLoad } from './load.js';
import { closeServer } from './stack.js';

export interface SoakOptions {
  connections: number;
  latencyMs: number;
  warmupS: number;
  measureS: number;
  sampleEveryS: number;
}

export interface MemorySample {
  atS: number;
  rssMb: number;
  heapUsedMb: number;
}

export interface SoakResult {
  options: SoakOptions;
  samples: MemorySample[];
  minRssMb: number;
  maxRssMb: number;
  /** max/min of the sampled RSS. */
  ratio: number;
  /**
   * V8 heap used right after a full collection, halfway through the warm-up and after
   * the last sample, both under load: what the process really retains (RSS and heapUsed
   * also count garbage not yet collected). Null when gc is not exposed.
   */
  liveHeapStartMb: number | null;
  liveHeapEndMb: number | null;
  ops: number;
  errors: number;
  rps: number;
}

const MIX: Shape[] = ['warm catalog', 'transaction', 'page of 50', 'initiate'];
const MB = 1024 * 1024;

export async function soakMemory(options: SoakOptions): Promise<SoakResult> {
  const sandbox = await startSandboxProcess();
  const credentials = { appId: DEMO_APP.id, accessKey: DEMO_APP.accessKey, secretKey: DEMO_APP.secretKey };
  const app = createApp(loadConfig({ LOG_LEVEL: 'silent' }), { baseUrl: sandbox.url, credentials });
  const { server, url } = await listen(app, 0);
  try {
    const fixture = await seed(url, 60);
    await sandbox.setLatency(options.latencyMs);

    const samples: MemorySample[] = [];
    const started = performance.now();
    const sample = () => {
      const memory = process.memoryUsage();
      const atS = (performance.now() - started) / 1000;
      samples.push({ atS, rssMb: memory.rss / MB, heapUsedMb: memory.heapUsed / MB });
    };
    // RSS is sampled from the end of the warm-up to 1 s before the load stops. The two
    // forced collections (for the retained heap) are placed so that no RSS sample follows
    // one closely: the first halfway through the warm-up, the second after the last sample.
    let interval: NodeJS.Timeout | undefined;
    let liveHeapStartMb: number | null = null;
    let liveHeapEndMb: number | null = null;
    const timers = [
      setTimeout(() => {
        liveHeapStartMb = liveHeapMb();
      }, (options.warmupS / 2) * 1000),
      setTimeout(() => {
        sample();
        interval = setInterval(sample, options.sampleEveryS * 1000);
      }, options.warmupS * 1000),
      setTimeout(() => {
        clearInterval(interval);
        sample();
        liveHeapEndMb = liveHeapMb();
      }, (options.warmupS + options.measureS - 1) * 1000),
    ];

    const run = await graphqlLoad(
      url,
      MIX.map((shape) => graphqlRequest(shape, fixture)),
      { connections: options.connections, durationS: options.warmupS + options.measureS },
    );
    for (const timer of timers) clearTimeout(timer);
    clearInterval(interval);

    const rss = samples.map((s) => s.rssMb);
    const minRssMb = Math.min(...rss);
    const maxRssMb = Math.max(...rss);
    return {
      options,
      samples,
      minRssMb,
      maxRssMb,
      ratio: maxRssMb / minRssMb,
      liveHeapStartMb,
      liveHeapEndMb,
      ops: run.completed,
      errors: run.errors,
      rps: run.completed / run.elapsedS,
    };
  } finally {
    await closeServer(server);
    await app.close();
    await sandbox.close();
  }
}

/** Heap used after a full collection (null unless the process runs with --expose-gc). */
function liveHeapMb(): number | null {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return null;
  gc();
  return process.memoryUsage().heapUsed / MB;
}

interface SandboxProcess {
  url: string;
  setLatency(latencyMs: number): Promise<void>;
  close(): Promise<void>;
}

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const START_TIMEOUT_MS = 15_000;
const RESULT_PREFIX = 'SOAK_RESULT ';

/** Runs the soak in a fresh Node process and returns its result. */
export async function soakMemoryInChild(options: SoakOptions): Promise<SoakResult> {
  const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', fileURLToPath(import.meta.url), JSON.stringify(options)], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const killChild = () => child.kill('SIGTERM');
  process.once('exit', killChild);
  // Bounded: the soak's own length plus time to start, seed and stop.
  const limit = setTimeout(killChild, (options.warmupS + options.measureS + 60) * 1000);
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  clearTimeout(limit);
  process.off('exit', killChild);
  const line = output.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
  if (code !== 0 || !line) throw new Error(`the memory soak process failed (exit ${code}): ${output.slice(-500)}`);
  return JSON.parse(line.slice(RESULT_PREFIX.length)) as SoakResult;
}

/** The sandbox in a child process (bench/sandbox-process.ts), driven through its /__sandbox/ control API. */
async function startSandboxProcess(): Promise<SandboxProcess> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'bench/sandbox-process.ts'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  // Never outlive the benchmark, even when it fails.
  const killChild = () => child.kill('SIGTERM');
  process.once('exit', killChild);

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the sandbox process did not start')), START_TIMEOUT_MS);
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /sandbox at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once('exit', (code) => reject(new Error(`the sandbox process exited (${code})`)));
  });

  return {
    url,
    async setLatency(latencyMs) {
      const response = await fetch(`${url}/__sandbox/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ latencyMs }),
      });
      if (!response.ok) throw new Error(`setting the sandbox latency answered ${response.status}`);
    },
    async close() {
      process.off('exit', killChild);
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      killChild();
      await exited;
    },
  };
}

// The soak process itself: options in, one result line out.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await soakMemory(JSON.parse(process.argv[2]) as SoakOptions);
  console.log(`${RESULT_PREFIX}${JSON.stringify(result)}`);
  process.exit(0);
}
