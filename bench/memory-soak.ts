/**
 * What does the gateway keep? Two halves of the soak's minutes, after a warm-up:
 *
 * - reads: the catalog, one transaction and a page of 50, in turn on every connection.
 *   Nothing of them should stay: the heap retained after it is compared with before;
 * - payments: the same with an initiate of a new reference in the turn. Each reference
 *   is an idempotency record, kept 24 h by design and bounded by IDEMPOTENCY_MAX_RECORDS:
 *   the heap it adds is measured per new reference.
 *
 * Before, between and after, with the gateway idle, its process is asked over its IPC
 * channel (bench/serve.ts) for a full GC, then V8's last-resort one, and then its memory: what is left is what
 * it really retains, free of the garbage sawtooth that RSS and heap-used samples under
 * load would show. The gateway (started with --expose-gc) and the sandbox are processes of
 * their own; the load generator is this one. The sandbox keeps every transaction it is
 * sent, and that growth is the sandbox's, not the gateway's.
 *
 * The gateway starts as the image starts it (the Dockerfile's ENV and node flags, read by
 * scripts/production-runtime.ts): RSS depends on them (MALLOC_TRIM_THRESHOLD_,
 * --max-semi-space-size), so the soak measures what production keeps.
 */
import { productionRuntime, type ProductionRuntime } from '../scripts/production-runtime.js';
import { loadConfig } from '../src/config.js';
import { graphqlRequest, seed, type Shape } from './cases.js';
import { startChild, startSandboxChild, type Child } from './children.js';
import { graphqlLoad, until, type GraphQLRequest } from './load.js';
import { gatewayEnv } from './stack.js';

export interface SoakOptions {
  connections: number;
  latencyMs: number;
  warmupS: number;
  minutes: number;
}

/** The gateway process's memory, idle, right after a full GC and V8's last-resort collection. */
export interface RetainedMemory {
  rssMb: number;
  heapUsedMb: number;
}

export interface SoakResult {
  options: SoakOptions;
  /** How the gateway was started, e.g. `MALLOC_TRIM_THRESHOLD_=131072 node --max-semi-space-size=16`. */
  startedAs: string;
  /** After seeding and the warm-up. */
  before: RetainedMemory;
  /** After the reads half. */
  afterReads: RetainedMemory;
  /** After the payments half, once every request sent has been handled. */
  after: RetainedMemory;
  /** Initiates sent in the payments half: each a new reference, whose idempotency record is kept (24 h by default). */
  newReferences: number;
  /** The gateway's bound on those records (IDEMPOTENCY_MAX_RECORDS). */
  idempotencyMaxRecords: number;
  ops: number;
  errors: number;
  rps: number;
  firstError?: string;
}

/** The production start, said as a command line (bench/serve.ts in place of dist/main.js). */
function startedAs({ env, nodeFlags }: ProductionRuntime): string {
  const memoryEnv = Object.entries(env).filter(([name]) => name.startsWith('MALLOC_'));
  return [...memoryEnv.map(([name, value]) => `${name}=${value}`), 'node', ...nodeFlags].join(' ');
}

const READS: Shape[] = ['warm catalog', 'transaction', 'page of 50'];
const PAYMENTS: Shape[] = [...READS, 'initiate'];
const MB = 1024 * 1024;
const SEEDED_TRANSACTIONS = 60;

export async function soakMemory(options: SoakOptions): Promise<SoakResult> {
  const sandbox = await startSandboxChild();
  const children: Child[] = [sandbox];
  try {
    const env = gatewayEnv(sandbox);
    const runtime = productionRuntime();
    // bench/serve.ts listens on 127.0.0.1 and a free port whatever HOST and PORT say.
    const gateway = await startChild('gateway', { ...runtime.env, ...env }, { exposeGc: true, nodeFlags: runtime.nodeFlags });
    children.push(gateway);
    const fixture = await seed(gateway.url, SEEDED_TRANSACTIONS);
    await sandbox.setLatency(options.latencyMs);

    let newReferences = 0;
    const requestsOf = (shapes: Shape[]) =>
      shapes.map((shape): GraphQLRequest => {
        const request = graphqlRequest(shape, fixture);
        const { body } = request;
        if (typeof body === 'string') return request;
        return { ...request, body: () => ((newReferences += 1), body()) };
      });
    const retained = async (): Promise<RetainedMemory> => {
      await until(async () => (await gateway.busy()) === 0);
      const memory = await gateway.memory({ gc: true });
      return { rssMb: memory.rss / MB, heapUsedMb: memory.heapUsed / MB };
    };
    const half = (shapes: Shape[]) => graphqlLoad(gateway.url, requestsOf(shapes), { connections: options.connections, durationS: (options.minutes * 60) / 2 });

    await graphqlLoad(gateway.url, requestsOf(PAYMENTS), { connections: options.connections, durationS: options.warmupS });
    const before = await retained();
    let minute = 0;
    const progress = setInterval(() => console.log(`  soak: ${++minute} of ${options.minutes} min`), 60_000);
    try {
      const reads = await half(READS);
      const afterReads = await retained();
      newReferences = 0;
      const payments = await half(PAYMENTS);
      const after = await retained();
      const ops = reads.completed + payments.completed;
      return {
        options,
        startedAs: startedAs(runtime),
        before,
        afterReads,
        after,
        newReferences,
        idempotencyMaxRecords: loadConfig(env).payments.idempotencyMaxRecords,
        ops,
        errors: reads.errors + payments.errors,
        rps: ops / (reads.elapsedS + payments.elapsedS),
        firstError: reads.firstError ?? payments.firstError,
      };
    } finally {
      clearInterval(progress);
    }
  } finally {
    await Promise.all(children.map((child) => child.close()));
  }
}
