/**
 * The two load generators and what is measured around them. GraphQL targets are driven
 * by autocannon; the bare upstream, whose one logical operation is several REST calls,
 * by a loop of the same concurrency. Both report every completed operation's latency,
 * so percentiles are computed the same way for every row (from the raw samples, not
 * from autocannon's whole-millisecond histogram).
 */
import autocannon from 'autocannon';
import type { EventEmitter } from 'node:events';

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
        headers: { 'content-type': 'application/json', accept: 'application/json' },
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
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export interface Measurement {
  ops: number;
  errors: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  upstreamCallsPerOp: number;
  /** Of the whole process (gateway, sandbox and load generator share it), after the run. */
  rssMb: number;
  rssDeltaMb: number;
  heapUsedMb: number;
  firstError?: string;
}

const MB = 1024 * 1024;

/**
 * Runs one load and measures around it: upstream calls (the sandbox's counter, read
 * through `countCalls`) and the process's memory before and after.
 */
export async function measure(countCalls: () => number, run: () => Promise<RawRun>): Promise<Measurement> {
  const callsBefore = await quietCount(countCalls);
  const rssBefore = process.memoryUsage.rss();
  const raw = await run();
  // Every upstream call of every operation sent, abandoned ones included, over the
  // operations sent: exact, where calls ÷ completed would count the tail twice.
  const calls = (await quietCount(countCalls)) - callsBefore;
  const memory = process.memoryUsage();
  return {
    ops: raw.completed,
    errors: raw.errors,
    rps: raw.completed / raw.elapsedS,
    p50Ms: percentile(raw.latenciesMs, 50),
    p99Ms: percentile(raw.latenciesMs, 99),
    upstreamCallsPerOp: raw.issued ? calls / raw.issued : 0,
    rssMb: memory.rss / MB,
    rssDeltaMb: (memory.rss - rssBefore) / MB,
    heapUsedMb: memory.heapUsed / MB,
    firstError: raw.firstError,
  };
}

const QUIET_MS = 100;
const MAX_SETTLE_MS = 30_000;

/**
 * The call count once the upstream has been quiet for QUIET_MS: operations abandoned
 * by the load generator (or left over from the case before) have finished by then.
 */
async function quietCount(countCalls: () => number): Promise<number> {
  const giveUpAt = Date.now() + MAX_SETTLE_MS;
  let last = countCalls();
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, QUIET_MS));
    const now = countCalls();
    if (now === last || Date.now() > giveUpAt) return now;
    last = now;
  }
}
