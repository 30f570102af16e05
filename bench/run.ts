/**
 * The load benchmark: the gateway against a naive GraphQL wrapper and the bare REST
 * upstream, per operation shape, at 20 ms and 0 ms of added upstream latency, then a
 * memory soak. Prints one table and the targets; a full run writes bench/RESULTS.md.
 *
 *   npm run bench                         every case, 10 s each, then a 60 s memory soak (~6 min)
 *   npm run bench -- --quick              2 s per case and a short soak: a smoke run, nothing written
 *   npm run bench -- --duration 5         seconds per case
 *   npm run bench -- --connections 32     concurrency (default 16)
 *   npm run bench -- --soak-memory        only the memory soak
 *   npm run bench -- --no-soak            skip the memory soak
 *   npm run bench -- --no-write           do not write bench/RESULTS.md
 *   npm run bench -- --help               these options (bench/options.ts)
 */
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { bareOperation, baselineShape, graphqlRequest, plan, type PlannedCase, type Shape } from './cases.js';
import { graphqlLoad, loopLoad, quietCount, runSlice, summarize, until, type LoadOptions, type RawRun, type Slice } from './load.js';
import { soakMemoryInChild, type SoakOptions, type SoakResult } from './memory-soak.js';
import { parseBenchOptions, UsageError, USAGE, type BenchOptions } from './options.js';
import { interpretation, resultsTable, soakSummary, targets, targetsTable, writeResults, type Row } from './report.js';
import { startStack, type Stack } from './stack.js';

let args: BenchOptions;
try {
  args = parseBenchOptions(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  console.error(error.message);
  process.exit(2);
}
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}

const { quick, durationS, connections } = args;
// Enough to open the connections, fill the caches and let V8 optimise the hot paths.
const warmupS = Math.min(0.5, durationS / 4);
// Each case's time is cut into two slices (of at least 3 s), interleaved with its group's.
const slices = durationS >= 6 ? 2 : 1;
const soakOptions: SoakOptions = quick
  ? { connections, latencyMs: 20, warmupS: 2, measureS: 8, sampleEveryS: 2 }
  : { connections, latencyMs: 20, warmupS: 10, measureS: 60, sampleEveryS: 5 };
const runCases = !args.soakMemory;
const runSoak = args.soakMemory || !args.noSoak;
// Only a complete full-length run replaces the recorded results.
const write = !quick && runCases && runSoak && !args.noWrite;
const SEEDED_TRANSACTIONS = 60;
// Before the first case, so that it does not pay for V8 optimising the shared code paths.
const processWarmupS = quick ? 1 : 2;

/** Cases compared with one another: one latency, one shape (cold catalog joins the catalog's baselines). */
function groups(cases: PlannedCase[]): PlannedCase[][] {
  const byKey = new Map<string, PlannedCase[]>();
  for (const c of cases) {
    const key = `${c.latencyMs} ${baselineShape(c.shape)}`;
    byKey.set(key, [...(byKey.get(key) ?? []), c]);
  }
  return [...byKey.values()];
}

/**
 * Runs a group's cases interleaved: each gets `slices` stretches of its time, in rounds
 * of alternating order (A B C, then C B A), so that every case sits at the same mean
 * time: a steady drift of this shared machine falls on all of them alike, and the
 * ratios between them hold even when absolute rates wander.
 */
async function measureGroup(group: PlannedCase[], stack: Stack): Promise<Row[]> {
  stack.setLatency(group[0].latencyMs);
  const targets = group.map((c) => stack.targets[c.variant]);
  const loads = group.map((c, i) => (options: LoadOptions): Promise<RawRun> => {
    const { url, fixture } = targets[i];
    return c.variant === 'bare upstream'
      ? loopLoad(bareOperation(c.shape, stack.bare, fixture), options)
      : graphqlLoad(url, [graphqlRequest(c.shape, fixture)], options);
  });
  for (const [i, load] of loads.entries()) {
    await load({ connections, durationS: warmupS });
    await until(() => targets[i].busy() === 0);
  }

  const collected: Slice[][] = group.map(() => []);
  for (const target of targets) await quietCount(target.calls);
  for (let round = 0; round < slices; round++) {
    for (let k = 0; k < group.length; k++) {
      const i = round % 2 === 0 ? k : group.length - 1 - k;
      const load = () => loads[i]({ connections, durationS: durationS / slices });
      collected[i].push(await runSlice(targets[i].calls, load, targets[i].busy));
    }
  }
  return group.map((c, i) => ({ ...c, m: summarize(collected[i]) }));
}

async function runAllCases(): Promise<Row[]> {
  // Reads and writes get separate stacks: every initiate adds a transaction the
  // sandbox sorts on each list call, which would slow the page-of-50 cases run after it.
  const reads = await startStack(SEEDED_TRANSACTIONS);
  const writes = await startStack(1);
  try {
    const cases = plan();
    const mix: Shape[] = ['warm catalog', 'transaction', 'page of 50'];
    for (const { url, fixture } of [reads.targets.gateway, reads.targets['naive gateway']]) {
      const requests = mix.map((shape) => graphqlRequest(shape, fixture));
      await graphqlLoad(url, requests, { connections, durationS: processWarmupS / 2 });
    }
    const rows: Row[] = [];
    for (const group of groups(cases)) {
      const measured = await measureGroup(group, group[0].shape === 'initiate' ? writes : reads);
      for (const { latencyMs, shape, variant, m } of measured) {
        rows.push({ latencyMs, shape, variant, m });
        console.log(
          `[${rows.length}/${cases.length}] ${latencyMs} ms  ${shape.padEnd(12)} ${variant.padEnd(26)} ` +
            `${m.rps.toFixed(0).padStart(6)} req/s  p50 ${m.p50Ms.toFixed(1)} ms  p99 ${m.p99Ms.toFixed(1)} ms  ` +
            `${m.upstreamCallsPerOp.toFixed(2)} calls/op  ${m.errors} errors` +
            (m.firstError ? `\n      first error: ${m.firstError}` : ''),
        );
      }
    }
    return rows;
  } finally {
    await reads.close();
    await writes.close();
  }
}

const caseCount = runCases ? plan().length : 0;
const soakS = runSoak ? soakOptions.warmupS + soakOptions.measureS : 0;
const estimateS = Math.round(caseCount * (durationS + warmupS) + (runCases ? processWarmupS : 0) + soakS);
console.log(
  `kspay-gateway benchmark: ${cpus().length} CPUs, Node ${process.version}, ${connections} connections, ` +
    `${caseCount} cases × ${durationS} s${runSoak ? ` + ${soakS} s memory soak` : ''} ≈ ${Math.ceil(estimateS / 60)} min\n`,
);

const started = new Date();
const rows = runCases ? await runAllCases() : [];
let soak: SoakResult | null = null;
if (runSoak) {
  console.log(`\nmemory soak: ${soakOptions.warmupS} s warm-up, ${soakOptions.measureS} s sampled …`);
  soak = await soakMemoryInChild(soakOptions);
}

if (rows.length) console.log(`\n${resultsTable(rows)}\n`);
if (soak) console.log(`${soakSummary(soak)}\n`);
console.log(`${targetsTable(targets(rows, soak, quick))}\n`);
if (rows.length) console.log(`${interpretation(rows, soak, quick)}\n`);

if (write) {
  const path = fileURLToPath(new URL('RESULTS.md', import.meta.url));
  writeResults(path, { date: started, durationS, warmupS, slices, connections, quick }, rows, soak);
  console.log(`Written to ${path}`);
} else {
  console.log('bench/RESULTS.md not written (only a complete, full-length run replaces it).');
}
// Keep-alive sockets of the global fetch pool would otherwise hold the process open for a few seconds.
process.exit(0);
