/**
 * The benchmark's interpretation: sentences drawn from the numbers of one run, one small
 * function per topic; a sentence is left out when its rows were not run.
 */
import { cpus } from 'node:os';
import type { Shape, Variant } from './cases.js';
import { fixed, percent, rate, times } from './format.js';
import type { SoakResult } from './memory-soak.js';
import { find, perRound, ratio, retainedPerReference, type Row } from './report.js';
import { isComparedVariant } from './stack.js';

type Sentences = (rows: Row[]) => (string | null)[];

const at =
  (rows: Row[]) =>
  (latencyMs: number, shape: Shape, variant: Variant = 'gateway') =>
    find(rows, latencyMs, shape, variant);
const calls = (row: Row) => fixed(row.m.upstreamCallsPerOp, 2);
const vs = (rows: Row[], row: Row | undefined, baseline: Variant) => times(ratio(rows, row, baseline));
const ofFloor = (rows: Row[], row: Row | undefined) => {
  const value = ratio(rows, row, 'floor');
  return value === null ? null : `${times(value)}`;
};

const warmPath: Sentences = (rows) => {
  const gw = at(rows);
  const [warm, warm0, floor] = [gw(20, 'warm catalog'), gw(0, 'warm catalog'), gw(20, 'warm catalog', 'floor')];
  if (!warm) return [];
  return [
    `With the catalog cached the gateway makes ${calls(warm)} upstream calls for it, so its rate does not depend on KS Pay's latency: ` +
      `${rate(warm.m.rps)} req/s, ${vs(rows, warm, 'bare upstream')} the bare REST client (two round trips, five calls) at 20 ms` +
      (warm0 ? ` and ${vs(rows, warm0, 'bare upstream')} at 0 ms.` : '.'),
    floor
      ? `The floor, a bare node:http server in its own process answering the gateway's exact bytes, serves it at ${rate(floor.m.rps)} req/s ` +
        `on this machine; the gateway answers ${ofFloor(rows, warm)} of that at 20 ms (${perRound(warm, floor)})` +
        (warm0 && ofFloor(rows, warm0) ? ` and ${ofFloor(rows, warm0)} at 0 ms` : '') +
        ': a hit is answered from stored bytes in front of yoga, after the API key check, with its metrics and request id.'
      : null,
  ];
};

const features: Sentences = (rows) => {
  const gw = at(rows);
  const warm = gw(20, 'warm catalog');
  const uncached = gw(20, 'warm catalog', 'gateway, no response cache');
  const interpreted = gw(20, 'warm catalog', 'gateway, no response cache, graphql-js');
  const [tx, txInterpreted] = [gw(20, 'transaction'), gw(20, 'transaction', 'gateway, graphql-js')];
  return [
    warm && uncached
      ? `Without the response cache the same query goes through yoga (parse and validation cached, execution, serialisation): ` +
        `${rate(uncached.m.rps)} req/s, ${ofFloor(rows, uncached)} of the floor; the cache serves it at ${times(warm.m.rps / uncached.m.rps)} that rate.`
      : null,
    uncached && interpreted
      ? `graphql-jit changes the uncached catalog query, which is pure execution, by ${percent(uncached.m.rps / interpreted.m.rps)} ` +
        `(${perRound(uncached, interpreted)})` +
        (tx && txInterpreted
          ? `, and a transaction, which mostly waits on KS Pay, by ${percent(tx.m.rps / txInterpreted.m.rps)} (${perRound(tx, txInterpreted)}).`
          : '.')
      : null,
  ];
};

const upstreamShapes: Sentences = (rows) => {
  const gw = at(rows);
  const cold = gw(20, 'cold catalog', 'gateway, CATALOG_TTL_MS=1');
  const [page, pageNaive, page0] = [gw(20, 'page of 50'), gw(20, 'page of 50', 'naive gateway'), gw(0, 'page of 50')];
  const [tx, initiate] = [gw(20, 'transaction'), gw(20, 'initiate')];
  const [initiate0, viaYoga0] = [gw(0, 'initiate'), gw(0, 'initiate', 'gateway, yoga handler')];
  const slower0 = [gw(0, 'transaction'), page0].filter((row) => (ratio(rows, row, 'bare upstream') ?? 1) < 1);
  return [
    cold
      ? `Cold (1 ms TTL), every request waits for a reload, but concurrent misses share one (${calls(cold)} calls per request instead of 5): ` +
        `${vs(rows, cold, 'bare upstream')} the bare client, ${vs(rows, cold, 'naive gateway')} the naive gateway.`
      : null,
    page && pageNaive && ratio(rows, page, 'naive gateway') !== null
      ? `A page of 50 with relations is ${calls(page)} upstream calls through the gateway against ${fixed(pageNaive.m.upstreamCallsPerOp, 0)} ` +
        `through the naive one: ${vs(rows, page, 'naive gateway')} its throughput at 20 ms` +
        (page0 && ratio(rows, page0, 'naive gateway') !== null ? ` (${vs(rows, page0, 'naive gateway')} at 0 ms).` : '.')
      : null,
    tx
      ? `A transaction with its relations is ${calls(tx)} upstream call: ${vs(rows, tx, 'naive gateway')} the naive gateway and ` +
        `${vs(rows, tx, 'bare upstream')} the bare client at 20 ms.`
      : null,
    slower0.length
      ? `With no added latency a careful REST client is faster than the gateway (${slower0.map((row) => `${row!.shape} ${vs(rows, row, 'bare upstream')}`).join(', ')}): ` +
        "then the GraphQL layer's CPU is the whole cost, and what the gateway saves is round trips to a slow upstream."
      : null,
    initiate
      ? `Initiate is one upstream call everywhere; validation and idempotency records put the gateway at ${vs(rows, initiate, 'naive gateway')} ` +
        `the naive gateway and ${vs(rows, initiate, 'bare upstream')} the bare client.`
      : null,
    initiate0 && viaYoga0
      ? `At 0 ms, where a payment's CPU is its whole cost, the front door's execute stage (the operation run through yoga's pipeline ` +
        `without its WHATWG Request and Response) is worth ${percent(initiate0.m.rps / viaYoga0.m.rps)} (${perRound(initiate0, viaYoga0)}): ` +
        `${vs(rows, initiate0, 'naive gateway')} the naive gateway with it, ${vs(rows, viaYoga0, 'naive gateway')} without.`
      : null,
    missesOfFloor(rows),
  ];
};

function missesOfFloor(rows: Row[]): string | null {
  const gw = at(rows);
  const waiting = (['transaction', 'page of 50', 'initiate'] as Shape[]).map((shape) => gw(20, shape)).filter((row) => ofFloor(rows, row) !== null);
  if (!waiting.length) return null;
  return `At 20 ms the shapes that wait on KS Pay reach ${waiting.map((row) => `${ofFloor(rows, row)} of the floor (${row!.shape})`).join(', ')}: most of their time is the upstream round trip.`;
}

/** --compare: this checkout's gateway over the compared commit's, per case, with each round's pair (they ran side by side). */
const comparedCommit: Sentences = (rows) => {
  const pairs = rows.filter((row) => isComparedVariant(row.variant)).map((old) => ({ old, now: find(rows, old.latencyMs, old.shape, 'gateway') }));
  const measured = pairs.filter((pair): pair is { old: Row; now: Row } => pair.now !== undefined && ratio(rows, pair.now, pair.old.variant) !== null);
  const variants = [...new Set(measured.map(({ old }) => old.variant))];
  return variants.map(
    (variant) =>
      `Against ${variant}, this checkout's gateway runs at ` +
      measured
        .filter(({ old }) => old.variant === variant)
        .map(({ old, now }) => `${vs(rows, now, old.variant)} its rate for the ${now.shape} at ${now.latencyMs} ms (${perRound(now, old)})`)
        .join(', ') +
      '.',
  );
};

const machine: Sentences = (rows) => {
  const gw = at(rows);
  const [warm, warm0] = [gw(20, 'warm catalog'), gw(0, 'warm catalog')];
  const failing = rows.filter((row) => row.m.errors > 0);
  const naivePages = rows.filter((row) => row.variant === 'naive gateway' && row.shape === 'page of 50');
  const naiveErrors = naivePages.reduce((sum, row) => sum + row.m.errors, 0);
  const worstP99 = Math.max(0, ...naivePages.map((row) => row.m.p99Ms));
  return [
    // The warm catalog never calls upstream: its 20 ms and 0 ms rows are the same work measured minutes apart.
    warm && warm0
      ? `The warm catalog, the same work at 20 ms and 0 ms but measured minutes apart, ran at ${rate(warm.m.rps)} and ${rate(warm0.m.rps)} req/s ` +
        `(${fixed(Math.abs(warm.m.rps / warm0.m.rps - 1) * 100, 0)}% apart): this machine drifts, which is why the variants of a shape are interleaved.`
      : null,
    failing.length
      ? `Errors: ${failing.map((row) => `${row.m.errors} in ${row.variant}, ${row.shape}, ${row.latencyMs} ms`).join('; ')} (their rates count failed requests as done).`
      : null,
    naiveErrors > 0 || worstP99 > 1000
      ? 'The naive page of 50 keeps up to 100 upstream requests in flight per GraphQL request; the sandbox cannot accept ' +
        `that many connections at once, so some wait seconds to be accepted or get no answer (p99 up to ${fixed(worstP99 / 1000, 1)} s` +
        `${naiveErrors ? `, ${naiveErrors} errors` : ''}).`
      : null,
    'Every server (each gateway, the naive gateway, the sandboxes, the floor) is a process of its own, compiled as the image runs dist/ (plain node, no tsx), and the load generator another, ' +
      `but on ${cpus().length} CPUs they still share the cores: absolute rates are below a deployed gateway's and wander between runs; ` +
      'read the ratios within a shape.',
  ];
};

function memory(soak: SoakResult, quick: boolean): string {
  const { before, afterReads, after } = soak;
  const perReference = retainedPerReference(soak);
  const bound = perReference === null ? null : (perReference * soak.idempotencyMaxRecords) / (1024 * 1024);
  return (
    `Over the ${soak.options.minutes}-minute soak the gateway process, idle and right after a last-resort GC, went from ` +
    `${fixed(before.rssMb, 0)} to ${fixed(after.rssMb, 0)} MB of RSS. ${soak.options.minutes / 2} minutes of reads left its retained heap ` +
    `at ${fixed(before.heapUsedMb, 1)} → ${fixed(afterReads.heapUsedMb, 1)} MB: reads keep nothing` +
    (perReference === null || bound === null || quick
      ? '.'
      : `; the payments after them added ${fixed(perReference, 0)} bytes per new reference: its idempotency record, kept 24 h ` +
        `by design and at most IDEMPOTENCY_MAX_RECORDS (${soak.idempotencyMaxRecords}) of them, so the in-process store holds the ` +
        `retained heap to ~${fixed(Math.max(0, bound), 0)} MB above its start (with REDIS_URL the records live in Redis).`) +
    (quick ? ' A quick soak is too short to judge.' : '')
  );
}

export function interpretation(rows: Row[], soak: SoakResult | null, quick = false): string {
  const sentences = [
    ...warmPath(rows),
    ...features(rows),
    ...upstreamShapes(rows),
    ...comparedCommit(rows),
    soak ? memory(soak, quick) : null,
    ...machine(rows),
  ];
  return sentences.filter((sentence): sentence is string => sentence !== null).join(' ');
}
