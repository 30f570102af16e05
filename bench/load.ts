/**
 * The two load generators and what is measured around them. GraphQL targets are driven
 * by autocannon; the bare upstream, whose one logical operation is several REST calls,
 * by a loop of the same concurrency. Both report every completed operation's latency,
 * so percentiles are computed the same way for every row (from the raw samples, not
 * from autocannon's whole-millisecond histogram).
 */
import autocannon from 'autocannon';
import type { EventEmitter } from 'node:events';
import { REQUEST_HEADERS } from './cases.js';
import type { Target } from './stack.js';

export interface LoadOptions {
  /** Concurrent connections (autocannon) or workers (loop). */
  connections: number;
  durationS: number;
}

/** What one load run saw. */
export interface RawRun {
  /** Operations that completed (an answer arrived), wrong answers included. */
  completed: number;
  /**
   * Operations the target was sent. autocannon abandons the requests in flight when
   * time is up, but the server still runs them (and calls upstream for them).
   */
  issued: number;
  /** Connection errors, timeouts, non-2xx statuses and bodies that are not the expected answer. */
  errors: number;
  elapsedS: number;
  latenciesMs: number[];
  /** The first wrong answer or failure, for the progress log. */
  firstError?: string;
}

export interface GraphQLRequest {
  /** A fixed JSON body, or a builder called once per request (e.g. for a unique reference). */
  body: string | (() => string);
  /** True when the response body is the expected answer. */
  ok(body: string): boolean;
}

/**
 * autocannon against `${url}/graphql`. Several requests are sent in turn on each
 * connection (a mixed load); one request is a single-shape load.
 */
export async function graphqlLoad(url: string, requests: GraphQLRequest[], options: LoadOptions): Promise<RawRun> {
  const latenciesMs: number[] = [];
  let wrongAnswers = 0;
  let firstError: string | undefined;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: `${url}/graphql`,
        connections: options.connections,
        duration: options.durationS,
        method: 'POST',
        headers: REQUEST_HEADERS,
        requests: requests.map((request) => ({
          method: 'POST',
          path: '/graphql',
          ...(typeof request.body === 'string'
            ? { body: request.body }
            : { setupRequest: (req: autocannon.Request) => ({ ...req, body: (request.body as () => string)() }) }),
          onResponse: (status: number, body: string) => {
            if (status === 200 && request.ok(body)) return;
            wrongAnswers += 1;
            firstError ??= `HTTP ${status}: ${body.slice(0, 200)}`;
          },
        })),
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
    // autocannon emits (client, status, bytes, ms); its typings leave out `client`.
    (instance as unknown as EventEmitter).on('response', (_client: unknown, _status: number, _bytes: number, ms: number) => {
      latenciesMs.push(ms);
    });
  });
  return {
    completed: latenciesMs.length,
    issued: Math.max(result.requests.sent, latenciesMs.length),
    errors: result.errors + wrongAnswers,
    elapsedS: result.duration,
    latenciesMs,
    firstError: firstError ?? (result.errors ? `${result.errors} connection errors (${result.timeouts} timeouts)` : undefined),
  };
}

/** `connections` workers each running `operation` back to back until the time is up. */
export async function loopLoad(operation: () => Promise<void>, options: LoadOptions): Promise<RawRun> {
  const latenciesMs: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  const started = performance.now();
  const deadline = started + options.durationS * 1000;
  const worker = async () => {
    while (performance.now() < deadline) {
      const t0 = performance.now();
      try {
        await operation();
      } catch (error) {
        errors += 1;
        firstError ??= error instanceof Error ? error.message : String(error);
      }
      latenciesMs.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: options.connections }, worker));
  const elapsedS = (performance.now() - started) / 1000;
  return { completed: latenciesMs.length, issued: latenciesMs.length, errors, elapsedS, latenciesMs, firstError };
}

/** Nearest-rank percentile of unsorted samples (0 when there are none). */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return 0;
  const sorted = Float64Array.from(samples).sort();
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export interface Measurement {
  ops: number;
  errors: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  upstreamCallsPerOp: number;
  /** Of the process that answers, after the row's last slice; null for the bare upstream (see Target.memory). */
  rssMb: number | null;
  /** RSS change summed over the row's own slices. */
  rssDeltaMb: number | null;
  heapUsedMb: number | null;
  /** req/s of each slice, in the order they ran (one per round of the group). */
  sliceRps: number[];
  firstError?: string;
}

const MB = 1024 * 1024;
/** Calls on their way land within this: a counter that has not moved for it is final. */
const QUIET_MS = 100;
/** Bound on every wait for the system to settle: a run never hangs. */
const MAX_SETTLE_MS = 30_000;

/** One stretch of load on one target, with the upstream calls and memory around it. */
export interface Slice {
  raw: RawRun;
  /** Upstream calls made for the operations of this slice, abandoned ones included. */
  calls: number;
  memoryBefore: NodeJS.MemoryUsage | null;
  memoryAfter: NodeJS.MemoryUsage | null;
}

/**
 * Runs `load` once, then waits until the target has finished every request it was sent
 * (`busy`) and its upstream is quiet, and counts the calls made meanwhile. The slice
 * before has settled the same way, so nothing else is calling the upstream at the start.
 */
export async function runSlice(target: Pick<Target, 'calls' | 'busy' | 'memory'>, load: () => Promise<RawRun>): Promise<Slice> {
  const callsBefore = await target.calls();
  const memoryBefore = await target.memory();
  const raw = await load();
  await until(async () => (await target.busy()) === 0);
  const calls = (await quietCount(target.calls)) - callsBefore;
  return { raw, calls, memoryBefore, memoryAfter: await target.memory() };
}

/** Resolves once `condition` holds (polled), or after MAX_SETTLE_MS regardless. */
export async function until(condition: () => Promise<boolean>): Promise<void> {
  const giveUpAt = Date.now() + MAX_SETTLE_MS;
  while (!(await condition()) && Date.now() < giveUpAt) await new Promise((resolve) => setTimeout(resolve, 20));
}

/** One row's figures from all its slices. */
export function summarize(slices: Slice[]): Measurement {
  const completed = sum(slices.map((s) => s.raw.completed));
  const issued = sum(slices.map((s) => s.raw.issued));
  const latencies = slices.flatMap((s) => s.raw.latenciesMs);
  const last = slices[slices.length - 1]!.memoryAfter;
  const rssDeltas = slices.map((s) => (s.memoryBefore && s.memoryAfter ? s.memoryAfter.rss - s.memoryBefore.rss : null));
  return {
    ops: completed,
    errors: sum(slices.map((s) => s.raw.errors)),
    rps: completed / sum(slices.map((s) => s.raw.elapsedS)),
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    // Every upstream call of every operation sent, over the operations sent: exact,
    // where calls ÷ completed would also count the abandoned requests' calls.
    upstreamCallsPerOp: issued ? sum(slices.map((s) => s.calls)) / issued : 0,
    rssMb: last ? last.rss / MB : null,
    rssDeltaMb: rssDeltas.every((d) => d !== null) ? sum(rssDeltas as number[]) / MB : null,
    heapUsedMb: last ? last.heapUsed / MB : null,
    sliceRps: slices.map((s) => s.raw.completed / s.raw.elapsedS),
    firstError: slices.find((s) => s.raw.firstError)?.raw.firstError,
  };
}

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

/** The call count once it has not moved for QUIET_MS. */
export async function quietCount(countCalls: () => Promise<number>): Promise<number> {
  const giveUpAt = Date.now() + MAX_SETTLE_MS;
  let last = await countCalls();
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, QUIET_MS));
    const now = await countCalls();
    if (now === last || Date.now() > giveUpAt) return now;
    last = now;
  }
}
