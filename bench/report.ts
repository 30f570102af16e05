/**
 * Turns measurements into the one results table, the targets (met or not), a short
 * interpretation drawn from the numbers, and bench/RESULTS.md.
 */
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { baselineShape, type PlannedCase, type Shape, type Variant } from './cases.js';
import type { Measurement } from './load.js';
import type { SoakResult } from './memory-soak.js';

export interface Row extends PlannedCase {
  m: Measurement;
}

export interface RunInfo {
  date: Date;
  durationS: number;
  warmupS: number;
  /** Each case's time is split into this many slices, interleaved with its group's. */
  slices: number;
  connections: number;
  quick: boolean;
}

interface Target {
  name: string;
  measured: string;
  met: boolean | null;
}

/** The rows others are compared with. */
const BASELINES: Variant[] = ['naive gateway', 'bare upstream', 'floor'];

function find(rows: Row[], latencyMs: number, shape: Shape, variant: Variant): Row | undefined {
  return rows.find((r) => r.latencyMs === latencyMs && r.shape === shape && r.variant === variant);
}

/**
 * Throughput of `row` over a baseline's at the same latency and shape; null when either
 * is missing or neither completed anything, Infinity when only the baseline did not.
 */
function ratio(rows: Row[], row: Row | undefined, baseline: Variant): number | null {
  if (!row) return null;
  const base = find(rows, row.latencyMs, baselineShape(row.shape), baseline);
  if (!base || (base.m.rps === 0 && row.m.rps === 0)) return null;
  return base.m.rps === 0 ? Infinity : row.m.rps / base.m.rps;
}

const fixed = (value: number, digits: number) => value.toFixed(digits);
const rate = (rps: number) => (rps >= 100 ? fixed(rps, 0) : fixed(rps, 1));
const times = (value: number | null) =>
  value === null ? '' : value === Infinity ? '∞' : `${value >= 10 ? fixed(value, 1) : fixed(value, 2)}×`;
const signed = (value: number) => `${value >= 0 ? '+' : ''}${fixed(value, 0)}`;
const megabytes = (value: number | null, delta: number | null) =>
  value === null ? '' : delta === null ? fixed(value, 0) : `${fixed(value, 0)} (${signed(delta)})`;

/** A markdown table with padded columns, readable both in a terminal and rendered. */
function markdownTable(header: string[], body: string[][], rightAligned: boolean[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const pad = (cell: string, i: number) => (rightAligned[i] ? cell.padStart(widths[i]) : cell.padEnd(widths[i]));
  const line = (cells: string[]) => `| ${cells.map(pad).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (rightAligned[i] ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`;
  return [line(header), rule, ...body.map(line)].join('\n');
}

export function resultsTable(rows: Row[]): string {
  const header = ['latency', 'shape', 'variant', 'req/s', 'p50 ms', 'p99 ms', 'upstream calls/op', 'RSS MB (Δ)', 'heap MB', 'errors', 'vs naive', 'vs bare', 'vs floor'];
  const body = rows.map((row) => {
    const { m } = row;
    const compared = !BASELINES.includes(row.variant);
    return [
      `${row.latencyMs} ms`,
      row.shape,
      row.variant,
      rate(m.rps),
      fixed(m.p50Ms, 1),
      fixed(m.p99Ms, 1),
      fixed(m.upstreamCallsPerOp, 2),
      megabytes(m.rssMb, m.rssDeltaMb),
      m.heapUsedMb === null ? '' : fixed(m.heapUsedMb, 0),
      String(m.errors),
      compared ? times(ratio(rows, row, 'naive gateway')) : '',
      compared ? times(ratio(rows, row, 'bare upstream')) : '',
      row.variant === 'floor' ? '' : times(ratio(rows, row, 'floor')),
    ];
  });
  return markdownTable(header, body, [false, false, false, ...Array<boolean>(10).fill(true)]);
}

export function targets(rows: Row[], soak: SoakResult | null, quick = false): Target[] {
  const list: Target[] = [];
  const warm = [20, 0]
    .map((latencyMs) => ({ latencyMs, value: ratio(rows, find(rows, latencyMs, 'warm catalog', 'gateway'), 'bare upstream') }))
    .filter((w): w is { latencyMs: number; value: number } => w.value !== null);
  list.push({
    name: 'warm catalog ≥ 50% of the bare-upstream rate',
    measured: warm.map((w) => `${times(w.value)} at ${w.latencyMs} ms`).join(', ') || 'not run',
    met: warm.length ? warm.every((w) => w.value >= 0.5) : null,
  });
  const page = ratio(rows, find(rows, 20, 'page of 50', 'gateway'), 'naive gateway');
  list.push({
    name: 'page of 50 with relations ≥ 10× naive at 20 ms',
    measured: page === null ? 'not run' : times(page),
    met: page === null ? null : page >= 10,
  });
  const warmCalls = [20, 0]
    .map((latencyMs) => find(rows, latencyMs, 'warm catalog', 'gateway'))
    .filter((row): row is Row => row !== undefined);
  list.push({
    name: 'warm catalog: 0.00 upstream calls/op (one refresh per CATALOG_TTL_MS allowed)',
    measured: warmCalls.map((row) => `${fixed(row.m.upstreamCallsPerOp, 4)} at ${row.latencyMs} ms`).join(', ') || 'not run',
    met: warmCalls.length ? warmCalls.every((row) => row.m.upstreamCallsPerOp < 0.005) : null,
  });
  const soakLength = soak ? `over ${soak.options.minutes} min of mixed load` : 'over the memory soak';
  list.push({
    name: `memory: RSS after/before ≤ 1.2 ${soakLength} (idle, after a forced GC)`,
    measured: soak ? `${fixed(soak.before.rssMb, 0)} → ${fixed(soak.after.rssMb, 0)} MB, ratio ${fixed(soak.after.rssMb / soak.before.rssMb, 3)}` : 'not run',
    // A quick soak is over before the heap reaches its working size: no verdict.
    met: soak && !quick ? soak.after.rssMb / soak.before.rssMb <= 1.2 : null,
  });
  list.push({
    name: `memory: heap retained after/before ≤ 1.2 ${soakLength} (idle, after a forced GC)`,
    measured: soak
      ? `${fixed(soak.before.heapUsedMb, 1)} → ${fixed(soak.after.heapUsedMb, 1)} MB, ratio ${fixed(soak.after.heapUsedMb / soak.before.heapUsedMb, 3)}`
      : 'not run',
    met: soak && !quick ? soak.after.heapUsedMb / soak.before.heapUsedMb <= 1.2 : null,
  });
  return list;
}

export function targetsTable(list: Target[]): string {
  const body = list.map((t) => [t.name, t.measured, t.met === null ? '— (not judged)' : t.met ? 'met' : 'NOT met']);
  return markdownTable(['target', 'measured', 'result'], body, [false, false, false]);
}

export function soakSummary(soak: SoakResult): string {
  const { options, before, after } = soak;
  return [
    `Mixed load (warm catalog, transaction, page of 50, initiate in turn) at ${options.latencyMs} ms added latency, ` +
      `${options.connections} connections, ${options.minutes} min after a ${options.warmupS} s warm-up: ` +
      `${soak.ops} operations (${rate(soak.rps)} req/s), ${soak.errors} errors${soak.firstError ? ` (first: ${soak.firstError})` : ''}, ` +
      `${soak.newReferences} new payment references.`,
    'The gateway process, idle, right after a forced full GC, before the soak and after it:',
    `RSS ${fixed(before.rssMb, 1)} → ${fixed(after.rssMb, 1)} MB; heap retained ${fixed(before.heapUsedMb, 1)} → ${fixed(after.heapUsedMb, 1)} MB` +
      ` (${signed(after.heapUsedMb - before.heapUsedMb)} MB${retainedPerReference(soak) === null ? '' : `, ${fixed(retainedPerReference(soak)!, 0)} bytes per new reference`}).`,
  ].join('\n');
}

/** Heap retained over the soak per new reference; null when none was sent. */
function retainedPerReference(soak: SoakResult): number | null {
  return soak.newReferences ? ((soak.after.heapUsedMb - soak.before.heapUsedMb) * 1024 * 1024) / soak.newReferences : null;
}

/** `row` against `base` slice by slice: the two ran interleaved, so each round is a fair pair. */
function perRound(row: Row, base: Row): string {
  const pairs = row.m.sliceRps.map((rps, i) => rps / base.m.sliceRps[i]).filter(Number.isFinite);
  return pairs.length > 1 ? `per round: ${pairs.map(percent).join(', ')}` : 'one round';
}

const percent = (value: number) => `${value >= 1 ? '+' : ''}${fixed((value - 1) * 100, 0)}%`;

/** Sentences drawn from the numbers; each is left out when its rows were not run. */
export function interpretation(rows: Row[], soak: SoakResult | null, quick = false): string {
  const out: string[] = [];
  const gw = (latencyMs: number, shape: Shape, variant: Variant = 'gateway') => find(rows, latencyMs, shape, variant);
  const vs = (row: Row | undefined, baseline: Variant) => times(ratio(rows, row, baseline));
  const calls = (row: Row) => fixed(row.m.upstreamCallsPerOp, 2);

  const warm = gw(20, 'warm catalog');
  const warm0 = gw(0, 'warm catalog');
  if (warm) {
    out.push(
      `With the catalog cached the gateway makes ${calls(warm)} upstream calls for it, so its rate does not depend on KS Pay's latency: ` +
        `${rate(warm.m.rps)} req/s, ${vs(warm, 'bare upstream')} the bare REST client (two round trips, five calls) at 20 ms` +
        (warm0 ? ` and ${vs(warm0, 'bare upstream')} at 0 ms.` : '.'),
    );
  }
  const cold = gw(20, 'cold catalog', 'gateway, CATALOG_TTL_MS=1');
  if (cold) {
    out.push(
      `Cold (1 ms TTL), every request waits for a reload, but concurrent misses share one (${calls(cold)} calls per request instead of 5): ` +
        `${vs(cold, 'bare upstream')} the bare client, ${vs(cold, 'naive gateway')} the naive gateway.`,
    );
  }
  const page = gw(20, 'page of 50');
  const pageNaive = gw(20, 'page of 50', 'naive gateway');
  if (page && pageNaive && ratio(rows, page, 'naive gateway') !== null) {
    const page0 = gw(0, 'page of 50');
    out.push(
      `A page of 50 with relations is ${calls(page)} upstream calls through the gateway against ${fixed(pageNaive.m.upstreamCallsPerOp, 0)} ` +
        `through the naive one: ${vs(page, 'naive gateway')} its throughput at 20 ms${page0 && ratio(rows, page0, 'naive gateway') !== null ? ` (${vs(page0, 'naive gateway')} at 0 ms)` : ''}.`,
    );
  }
  const tx = gw(20, 'transaction');
  if (tx) {
    out.push(
      `A transaction with its relations is ${calls(tx)} upstream call: ${vs(tx, 'naive gateway')} the naive gateway and ` +
        `${vs(tx, 'bare upstream')} the bare client at 20 ms.`,
    );
  }
  const slower0 = [gw(0, 'transaction'), gw(0, 'page of 50')].filter((row) => (ratio(rows, row, 'bare upstream') ?? 1) < 1);
  if (slower0.length) {
    out.push(
      `With no added latency a careful REST client is faster than the gateway (${slower0.map((row) => `${row!.shape} ${vs(row, 'bare upstream')}`).join(', ')}): ` +
        'then the GraphQL layer\'s CPU is the whole cost, and what the gateway saves is round trips to a slow upstream.',
    );
  }
  const initiate = gw(20, 'initiate');
  if (initiate) {
    out.push(
      `Initiate is one upstream call everywhere; validation and idempotency records put the gateway at ${vs(initiate, 'naive gateway')} ` +
        `the naive gateway and ${vs(initiate, 'bare upstream')} the bare client.`,
    );
  }
  // The plain gateway's warm catalog never calls upstream: its 20 ms and 0 ms rows are the
  // same work measured minutes apart, which shows how far this machine drifts.
  if (warm && warm0) {
    out.push(
      `The warm catalog, the same work at 20 ms and 0 ms but measured minutes apart, ran at ${rate(warm.m.rps)} and ${rate(warm0.m.rps)} req/s ` +
        `(${fixed(Math.abs(warm.m.rps / warm0.m.rps - 1) * 100, 0)}% apart): this machine drifts, which is why the variants of a shape are interleaved.`,
    );
  }
  const jitWarm = gw(20, 'warm catalog', 'gateway + graphql-jit');
  const jitTx = gw(20, 'transaction', 'gateway + graphql-jit');
  const cached = gw(20, 'warm catalog', 'gateway + response cache');
  if (warm && tx && jitWarm && jitTx) {
    out.push(
      `graphql-jit changed throughput by ${percent(jitWarm.m.rps / warm.m.rps)} on the warm catalog, which is pure execution ` +
        `(${perRound(jitWarm, warm)}), and by ${percent(jitTx.m.rps / tx.m.rps)} on a transaction, which mostly waits on KS Pay (${perRound(jitTx, tx)}).`,
    );
  }
  if (cached && warm) {
    out.push(
      `The response cache (experiment: catalog only, keyed by caller and app) gives ${percent(cached.m.rps / warm.m.rps)} on the warm catalog ` +
        `(${perRound(cached, warm)}): a hit skips parsing, validation and execution.`,
    );
  }
  const floorShare = (row: Row | undefined) => {
    const value = ratio(rows, row, 'floor');
    return value === null ? null : `${fixed(value * 100, value < 0.1 ? 1 : 0)}%`;
  };
  const floor = gw(20, 'warm catalog', 'floor');
  if (warm && floor) {
    out.push(
      `The floor, a bare node:http server in its own process answering the gateway's exact bytes, serves the warm catalog at ` +
        `${rate(floor.m.rps)} req/s on this machine: the gateway keeps ${floorShare(warm)} of it at 20 ms` +
        (warm0 && floorShare(warm0) ? ` (${floorShare(warm0)} at 0 ms)` : '') +
        (cached ? `, ${floorShare(cached)} with the response cache` : '') +
        '; the rest is the front door, parsing, validation, execution and serialisation.',
    );
  }
  const waiting = (['transaction', 'page of 50', 'initiate'] as Shape[]).map((shape) => gw(20, shape)).filter((row) => floorShare(row) !== null);
  if (waiting.length) {
    out.push(
      `At 20 ms the shapes that wait on KS Pay reach ${waiting.map((row) => `${floorShare(row)} of the floor (${row!.shape})`).join(', ')}: ` +
        'most of their time is the upstream round trip.',
    );
  }
  if (soak) {
    const perReference = retainedPerReference(soak);
    const bound = perReference === null ? null : (perReference * soak.idempotencyMaxRecords) / (1024 * 1024);
    out.push(
      `After ${soak.options.minutes} min of mixed load the gateway process, idle and right after a forced GC, went from ` +
        `${fixed(soak.before.rssMb, 0)} to ${fixed(soak.after.rssMb, 0)} MB of RSS and from ${fixed(soak.before.heapUsedMb, 1)} to ` +
        `${fixed(soak.after.heapUsedMb, 1)} MB of retained heap` +
        (perReference === null || bound === null || quick
          ? '.'
          : `: ${fixed(perReference, 0)} bytes per new payment reference sent. The in-process idempotency store keeps a record ` +
            `per reference for 24 h by design, up to IDEMPOTENCY_MAX_RECORDS (${soak.idempotencyMaxRecords}); if all the growth is ` +
            `those records, the bound holds the retained heap to ~${fixed(Math.max(0, bound), 0)} MB above its start.`) +
        (quick ? ' A quick soak is too short to judge.' : ''),
    );
  }
  const failing = rows.filter((row) => row.m.errors > 0);
  if (failing.length) {
    out.push(
      `Errors: ${failing.map((row) => `${row.m.errors} in ${row.variant}, ${row.shape}, ${row.latencyMs} ms`).join('; ')} ` +
        '(their rates count failed requests as done).',
    );
  }
  const naivePages = rows.filter((row) => row.variant === 'naive gateway' && row.shape === 'page of 50');
  if (naivePages.some((row) => row.m.errors > 0 || row.m.p99Ms > 1000)) {
    const worstP99 = Math.max(...naivePages.map((row) => row.m.p99Ms));
    const errors = naivePages.reduce((sum, row) => sum + row.m.errors, 0);
    out.push(
      'The naive page of 50 keeps up to 100 upstream requests in flight per GraphQL request; the sandbox cannot accept ' +
        `that many connections at once, so some wait seconds to be accepted or get no answer (p99 up to ${fixed(worstP99 / 1000, 1)} s` +
        `${errors ? `, ${errors} errors` : ''}).`,
    );
  }
  out.push(
    'Every server (each gateway, the naive gateway, the sandboxes, the floor) is a process of its own, and the load generator another, ' +
      `but on ${cpus().length} CPUs they still share the cores: absolute rates are below a deployed gateway's and wander between runs; ` +
      'read the ratios within a shape.',
  );
  return out.join(' ');
}

const SOAK_METHOD = `Memory is measured in the gateway process (started with \`--expose-gc\`): with no request in flight, the
benchmark asks it over its IPC channel (bench/serve.ts, never over HTTP) for a full GC and then \`process.memoryUsage()\`. What
is left is what the gateway retains; RSS and heap samples under load would mostly show the GC sawtooth. The sandbox, a
process of its own, keeps every transaction it is sent: that growth is not the gateway's.`;

export function writeResults(path: string, info: RunInfo, rows: Row[], soak: SoakResult | null): void {
  const text = `# Benchmark results

Written by \`npm run bench\` (bench/run.ts). Latest run:

- date: ${info.date.toISOString()}
- machine: ${cpus().length} CPUs (${cpus()[0]?.model.trim() ?? 'unknown'}), Node ${process.version}
- ${info.durationS} s per case after a ${info.warmupS} s warm-up, ${info.connections} concurrent connections${info.quick ? ' (quick mode)' : ''};
  the cases of one shape and latency run interleaved, ${info.slices} slices each in rotating order, so that the machine's
  drift falls on all of them alike
- every server in a process of its own on 127.0.0.1 (bench/serve.ts): each gateway variant, the naive gateway, two KS Pay
  sandboxes (the naive gateway's and everyone else's) and the floor; this process only generates the load (autocannon, and
  the bare-upstream client). The gateways run as in production: \`KSPAY_BASE_URL\`, client API keys (the load sends one),
  GraphiQL and introspection off

## Results

${resultsTable(rows)}

How to read it:
- **latency** is added by the sandbox before every KS Pay answer.
- **gateway** is the real gateway (DataLoaders, shared catalog cache, idempotency, limits, metrics, logging at \`silent\`).
  **naive gateway** serves the same SDL with resolvers that call the KS Pay client for every field (bench/naive-gateway.ts).
  **bare upstream** is a hand-written REST client making the calls each shape needs, deduplicated and in parallel within one
  operation, with no cache across operations (bench/bare-upstream.ts); autocannon cannot fan out, so it runs under a loop
  of the same concurrency.
  **floor** is a bare node:http server (bench/floor.ts) that reads each request and answers the exact bytes, status and
  headers the gateway gave for the shape once: no gateway can be faster on this machine.
- **upstream calls/op**: calls the sandbox process counted (its \`/__sandbox/calls\`) during the case ÷ operations sent. autocannon abandons the requests in
  flight when time is up, but the server still runs them, so each slice ends only when the target has finished them all
  (and the next slice does not share the CPU with them).
- **RSS** is of the process that answers (the gateway's, the floor's …; none for the bare upstream, whose client runs in the
  load generator) after the case's last slice (Δ: change during its own slices); **heap** is its V8 heap used then.
- **errors**: connection errors, non-200 answers, and answers that are not the expected data (GraphQL errors, a failed initiate).
- **vs naive / vs bare / vs floor**: this row's req/s over the baseline's, at the same latency and shape (cold catalog:
  against the catalog baselines); ∞ when the baseline completed no operation in its time.
- The naive gateway has no cache, so its catalog row is both the warm and the cold baseline.

## Targets

${targetsTable(targets(rows, soak, info.quick))}

${soak ? `### Memory soak\n\n${soakSummary(soak)}\n\n${SOAK_METHOD}\n` : ''}
## Interpretation

${interpretation(rows, soak, info.quick)}
`;
  writeFileSync(path, text);
}
