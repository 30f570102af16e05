/**
 * Turns measurements into the one results table and the targets (met or not); the
 * interpretation (./interpretation.ts) and bench/RESULTS.md (./results-file.ts) build on it.
 */
import { baselineShape, type PlannedCase, type Shape, type Variant } from './cases.js';
import type { Measurement } from './load.js';
import type { SoakResult } from './memory-soak.js';
import { fixed, markdownTable, megabytes, percent, rate, times } from './format.js';
import { isComparedVariant } from './stack.js';

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

export function find(rows: Row[], latencyMs: number, shape: Shape, variant: Variant): Row | undefined {
  return rows.find((r) => r.latencyMs === latencyMs && r.shape === shape && r.variant === variant);
}

/**
 * Throughput of `row` over a baseline's at the same latency and shape; null when either
 * is missing or neither completed anything, Infinity when only the baseline did not.
 */
export function ratio(rows: Row[], row: Row | undefined, baseline: Variant): number | null {
  if (!row) return null;
  const base = find(rows, row.latencyMs, baselineShape(row.shape), baseline);
  if (!base || (base.m.rps === 0 && row.m.rps === 0)) return null;
  return base.m.rps === 0 ? Infinity : row.m.rps / base.m.rps;
}

export function resultsTable(rows: Row[]): string {
  // With --compare, a last column: the compared gateway's rate over this checkout's.
  const comparing = rows.some((row) => isComparedVariant(row.variant));
  const header = [
    'latency',
    'shape',
    'variant',
    'req/s',
    'p50 ms',
    'p99 ms',
    'upstream calls/op',
    'RSS MB (Δ)',
    'heap MB',
    'errors',
    'vs naive',
    'vs bare',
    'vs floor',
    ...(comparing ? ['vs gateway'] : []),
  ];
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
      ...(comparing ? [isComparedVariant(row.variant) ? times(ratio(rows, row, 'gateway')) : ''] : []),
    ];
  });
  return markdownTable(header, body, [false, false, false, ...Array<boolean>(header.length - 3).fill(true)]);
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
  const floor = [20, 0]
    .map((latencyMs) => ({ latencyMs, value: ratio(rows, find(rows, latencyMs, 'warm catalog', 'gateway'), 'floor') }))
    .filter((w): w is { latencyMs: number; value: number } => w.value !== null);
  list.push({
    // Issue 22's bar for every warm catalog shape (the others: bench/catalog-shapes.ts).
    name: 'warm catalog ≥ 0.6× the floor (node:http answering the same bytes)',
    measured: floor.map((w) => `${times(w.value)} at ${w.latencyMs} ms`).join(', ') || 'not run',
    met: floor.length ? floor.every((w) => w.value >= 0.6) : null,
  });
  const page = ratio(rows, find(rows, 20, 'page of 50', 'gateway'), 'naive gateway');
  list.push({
    name: 'page of 50 with relations ≥ 10× naive at 20 ms',
    measured: page === null ? 'not run' : times(page),
    met: page === null ? null : page >= 10,
  });
  const warmCalls = [20, 0].map((latencyMs) => find(rows, latencyMs, 'warm catalog', 'gateway')).filter((row): row is Row => row !== undefined);
  list.push({
    name: 'warm catalog: 0.00 upstream calls/op (one refresh per CATALOG_TTL_MS allowed)',
    measured: warmCalls.map((row) => `${fixed(row.m.upstreamCallsPerOp, 4)} at ${row.latencyMs} ms`).join(', ') || 'not run',
    met: warmCalls.length ? warmCalls.every((row) => row.m.upstreamCallsPerOp < 0.005) : null,
  });
  list.push(...missPathTargets(rows));
  list.push(...memoryTargets(soak, quick));
  return list;
}

/** Issue 22: settled lookups from cache near the floor; the shapes that call KS Pay at least as fast as calling it yourself. */
function missPathTargets(rows: Row[]): Target[] {
  const judge = (name: string, shape: Shape, baseline: Variant, bound: number): Target => {
    const measured = [20, 0]
      .map((latencyMs) => ({ latencyMs, value: ratio(rows, find(rows, latencyMs, shape, 'gateway'), baseline) }))
      .filter((w): w is { latencyMs: number; value: number } => w.value !== null);
    return {
      name,
      measured: measured.map((w) => `${times(w.value)} at ${w.latencyMs} ms`).join(', ') || 'not run',
      met: measured.length ? measured.every((w) => w.value >= bound) : null,
    };
  };
  return [
    judge('settled transaction lookup ≥ 0.5× the floor', 'settled transaction', 'floor', 0.5),
    judge('live transaction lookup ≥ 1.0× the bare client', 'transaction', 'bare upstream', 1),
    judge('page of 50 ≥ 1.0× the bare client', 'page of 50', 'bare upstream', 1),
    judge('initiate ≥ 1.0× the naive gateway', 'initiate', 'naive gateway', 1),
  ];
}

/** RSS flat over the soak; reads retain nothing; a payment retains its idempotency record and no more. */
function memoryTargets(soak: SoakResult | null, quick: boolean): Target[] {
  // A quick soak is over before the heap reaches its working size: no verdict.
  const judged = soak !== null && !quick;
  const perReference = soak ? retainedPerReference(soak) : null;
  return [
    {
      name: `memory: RSS after/before ≤ 1.2 over ${soak ? `${soak.options.minutes} min` : 'the soak'} (idle, after a last-resort GC)`,
      measured: soak ? `${fixed(soak.before.rssMb, 0)} → ${fixed(soak.after.rssMb, 0)} MB, ratio ${fixed(soak.after.rssMb / soak.before.rssMb, 3)}` : 'not run',
      met: judged ? soak.after.rssMb / soak.before.rssMb <= 1.2 : null,
    },
    {
      name: 'memory: reads retain nothing: heap after/before the reads half ≤ 1.05 (idle, after a last-resort GC)',
      measured: soak
        ? `${fixed(soak.before.heapUsedMb, 1)} → ${fixed(soak.afterReads.heapUsedMb, 1)} MB, ratio ${fixed(soak.afterReads.heapUsedMb / soak.before.heapUsedMb, 3)}`
        : 'not run',
      met: judged ? soak.afterReads.heapUsedMb / soak.before.heapUsedMb <= 1.05 : null,
    },
    {
      name: 'memory: a new payment reference retains ≤ 1.5 KB (its idempotency record, bounded by IDEMPOTENCY_MAX_RECORDS)',
      measured: perReference === null ? 'not run' : `${fixed(perReference, 0)} bytes over ${soak!.newReferences} references`,
      met: judged && perReference !== null ? perReference <= 1536 : null,
    },
  ];
}

export function targetsTable(list: Target[]): string {
  const body = list.map((t) => [t.name, t.measured, t.met === null ? '— (not judged)' : t.met ? 'met' : 'NOT met']);
  return markdownTable(['target', 'measured', 'result'], body, [false, false, false]);
}

export function soakSummary(soak: SoakResult): string {
  const { options, before, afterReads, after } = soak;
  const perReference = retainedPerReference(soak);
  return [
    `At ${options.latencyMs} ms added latency, ${options.connections} connections, after a ${options.warmupS} s warm-up: ` +
      `${options.minutes / 2} min of reads (warm catalog, transaction, page of 50 in turn), then ${options.minutes / 2} min of the same ` +
      `with an initiate of a new reference in each turn: ${soak.ops} operations (${rate(soak.rps)} req/s), ${soak.errors} errors` +
      `${soak.firstError ? ` (first: ${soak.firstError})` : ''}, ${soak.newReferences} new payment references.`,
    `The gateway process (started as production starts it: \`${soak.startedAs}\`), idle, right after a full GC and V8's last-resort collection, before the soak, after the reads and after the payments:`,
    `RSS ${fixed(before.rssMb, 1)} → ${fixed(afterReads.rssMb, 1)} → ${fixed(after.rssMb, 1)} MB; heap retained ` +
      `${fixed(before.heapUsedMb, 1)} → ${fixed(afterReads.heapUsedMb, 1)} → ${fixed(after.heapUsedMb, 1)} MB` +
      (perReference === null ? '.' : ` (${fixed(perReference, 0)} bytes per new reference in the payments half).`),
  ].join('\n');
}

/** Heap retained over the payments half per new reference sent in it; null when none was sent. */
export function retainedPerReference(soak: SoakResult): number | null {
  return soak.newReferences ? ((soak.after.heapUsedMb - soak.afterReads.heapUsedMb) * 1024 * 1024) / soak.newReferences : null;
}

/** `row` against `base` slice by slice: the two ran interleaved, so each round is a fair pair. */
export function perRound(row: Row, base: Row): string {
  const pairs = row.m.sliceRps.map((rps, i) => rps / base.m.sliceRps[i]!).filter(Number.isFinite);
  return pairs.length > 1 ? `per round: ${pairs.map(percent).join(', ')}` : 'one round';
}
