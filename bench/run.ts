/**
 * The load benchmark: the gateway against a naive GraphQL wrapper, the bare REST
 * upstream and the floor (a bare node:http server answering the same bytes), per
 * operation shape, at 20 ms and 0 ms of added upstream latency, then a memory soak.
 * Every server is a process of its own (bench/serve.ts); this one only generates load.
 * Prints one table and the targets; a complete run writes bench/RESULTS.md.
 *
 *   npm run bench                         every case, 10 s each, then a 10-minute memory soak (~17 min)
 *   npm run bench -- --quick              2 s per case and a 15 s soak: a smoke run, nothing written
 *   npm run bench -- --duration 5         seconds per case
 *   npm run bench -- --connections 16     concurrency (default 32, as the warm-path target was first measured)
 *   npm run bench -- --minutes 2          length of the memory soak
 *   npm run bench -- --soak-memory        only the memory soak
 *   npm run bench -- --no-soak            skip the memory soak
 *   npm run bench -- --no-write           do not write bench/RESULTS.md
 *   npm run bench -- --compare 86aff48    also that commit's gateway, as "gateway @ 86aff48" (bench/compared-gateway.ts; repeatable)
 *   npm run bench -- --help               these options (bench/options.ts)
 */
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { bareOperation, baselineShape, graphqlRequest, plan, withCompared, type PlannedCase, type Shape } from './cases.js';
import { checkOutCompared, type ComparedGateway } from './compared-gateway.js';
import { graphqlLoad, loopLoad, quietCount, runSlice, summarize, until, type LoadOptions, type RawRun, type Slice } from './load.js';
import { soakMemory, type SoakOptions, type SoakResult } from './memory-soak.js';
import { parseBenchOptions, UsageError, USAGE, type BenchOptions } from './options.js';
import { interpretation } from './interpretation.js';
import { resultsTable, soakSummary, targets, targetsTable, type Row } from './report.js';
import { writeResults } from './results-file.js';
import { isComparedVariant, startStack, type Stack, type Variant } from './stack.js';

let args: BenchOptions;
let compared: ComparedGateway[] = [];
try {
  args = parseBenchOptions(process.argv.slice(2));
  // Checked out before anything starts; removed on exit, however it exits.
  if (!args.help && !args.soakMemory) compared = checkOutAll(args.compare);
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
// Enough to open the connections, fill the caches and let V8 optimise the hot paths
// (half a second was not: the first case measured a gateway still being compiled).
const warmupS = Math.min(2, durationS / 4);
// Warm-up stretches per case, interleaved as the slices are: a process that sat idle (the write stack waits
// out every read group) spent up to twice the CPU per operation over its first ~6-9 s of load again, even
// with the machine kept busy meanwhile; one 2 s stretch left the group's first slice to pay for that.
const warmupRounds = quick ? 1 : 3;
// Each case's time is cut into slices of at least 2.5 s, interleaved with its group's.
const slices = Math.max(1, Math.min(4, Math.floor(durationS / 2.5)));
const soakOptions: SoakOptions = { connections, latencyMs: 20, warmupS: quick ? 2 : 10, minutes: args.soakMinutes };
const runCases = !args.soakMemory;
const runSoak = args.soakMemory || !args.noSoak;
// Only a complete full-length run replaces the recorded results.
const write = !quick && runCases && runSoak && !args.noWrite && args.only === null;
const SEEDED_TRANSACTIONS = 60;
// Before the first case, so that it does not pay for V8 optimising the code paths of each gateway process.
const processWarmupS = quick ? 0.5 : 3;

/** One checkout per distinct commit (two refs may name the same one). */
function checkOutAll(refs: string[]): ComparedGateway[] {
  const checkouts: ComparedGateway[] = [];
  for (const ref of refs) {
    const checkout = checkOutCompared(ref);
    if (checkouts.some((c) => c.sha === checkout.sha)) checkout.remove();
    else checkouts.push(checkout);
  }
  return checkouts;
}

/** Cases compared with one another: one latency, one shape (cold catalog joins the catalog's baselines and floor). */
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
  await stack.setLatency(group[0]!.latencyMs);
  const floorCase = group.find((c) => c.variant === 'floor');
  if (floorCase) await stack.recordFloor(graphqlRequest(floorCase.shape, stack.targets.gateway!.fixture));
  const targets = group.map((c) => {
    const target = stack.targets[c.variant];
    if (!target) throw new Error(`the stack has no ${c.variant}`);
    return target;
  });
  const loads = group.map((c, i) => (options: LoadOptions): Promise<RawRun> => {
    const { url, fixture } = targets[i]!;
    return c.variant === 'bare upstream'
      ? loopLoad(bareOperation(c.shape, stack.bare, fixture), options)
      : graphqlLoad(url, [graphqlRequest(c.shape, fixture)], options);
  });
  const order = measuringOrder(group);
  // Ending on a backward round, so the palindrome runs on into the slices (the first case measured was just warmed).
  for (const i of turns(order, warmupRounds, warmupRounds % 2)) {
    await loads[i]!({ connections, durationS: warmupS });
    await until(async () => (await targets[i]!.busy()) === 0);
  }

  const collected: Slice[][] = group.map(() => []);
  for (const target of targets) await quietCount(target.calls);
  for (const i of turns(order, slices)) {
    const load = () => loads[i]!({ connections, durationS: durationS / slices });
    collected[i]!.push(await runSlice(targets[i]!, load));
  }
  return group.map((c, i) => ({ ...c, m: summarize(collected[i]!) }));
}

/** `rounds` turns through `order`, every other round backwards (A B C, C B A, A B C …; from C B A when `first` is odd). */
function* turns(order: number[], rounds: number, first = 0): Generator<number> {
  for (let round = first; round < first + rounds; round++) yield* round % 2 === 0 ? order : [...order].reverse();
}

/**
 * The order a group's cases take turns in: the floor right after the gateway, so that the
 * one ratio the warm path is judged by compares slices measured side by side, and a compared
 * gateway (--compare) next.
 */
function measuringOrder(group: PlannedCase[]): number[] {
  const indices = group.map((_, i) => i);
  const floor = group.findIndex((c) => c.variant === 'floor');
  const gateway = group.findIndex((c) => c.variant === 'gateway');
  const comparedAt = indices.filter((i) => isComparedVariant(group[i]!.variant));
  if (gateway < 0) return indices;
  const first = [gateway, floor, ...comparedAt].filter((i) => i >= 0);
  return [...first, ...indices.filter((i) => !first.includes(i))];
}

/** The plan, or with --only the cases of that shape's group (the catalog's warm and cold share their baselines). */
function selectedCases(): PlannedCase[] {
  const { only } = args;
  const selected = plan().filter((c) => only === null || baselineShape(c.shape) === baselineShape(only));
  return withCompared(
    selected,
    compared.map((c) => c.variant),
  );
}

const variantsOf = (cases: PlannedCase[]): Variant[] => [...new Set(cases.map((c) => c.variant))];

async function runAllCases(): Promise<Row[]> {
  // Reads and writes get separate stacks: every initiate adds a transaction the
  // sandbox sorts on each list call, which would slow the page-of-50 cases run after it.
  const cases = selectedCases();
  const isWrite = (c: PlannedCase) => c.shape === 'initiate';
  // One after the other: a dozen fresh processes at once would crowd two CPUs.
  const [readCases, writeCases] = [cases.filter((c) => !isWrite(c)), cases.filter(isWrite)];
  const reads = readCases.length ? await startStack(SEEDED_TRANSACTIONS, variantsOf(readCases), compared) : null;
  const writes = writeCases.length
    ? await startStack(1, variantsOf(writeCases), compared).catch(async (error: unknown) => {
        await reads?.close();
        throw error;
      })
    : null;
  try {
    const mix: Shape[] = ['warm catalog', 'transaction', 'page of 50'];
    for (const [variant, target] of Object.entries(reads?.targets ?? {})) {
      if (!target || variant === 'bare upstream' || variant === 'floor') continue;
      const requests = mix.map((shape) => graphqlRequest(shape, target.fixture));
      await graphqlLoad(target.url, requests, { connections, durationS: processWarmupS });
      await until(async () => (await target.busy()) === 0);
    }
    const rows: Row[] = [];
    for (const group of groups(cases)) {
      const measured = await measureGroup(group, (isWrite(group[0]!) ? writes : reads)!);
      for (const { latencyMs, shape, variant, m } of measured) {
        rows.push({ latencyMs, shape, variant, m });
        console.log(
          `[${rows.length}/${cases.length}] ${latencyMs} ms  ${shape.padEnd(12)} ${variant.padEnd(26)} ` +
            `${m.rps.toFixed(0).padStart(6)} req/s  p50 ${m.p50Ms.toFixed(1)} ms  p99 ${m.p99Ms.toFixed(1)} ms  ` +
            `${m.upstreamCallsPerOp.toFixed(2)} calls/op  ${m.errors} errors  (slices: ${m.sliceRps.map((rps) => rps.toFixed(0)).join(', ')} req/s)` +
            (m.firstError ? `\n      first error: ${m.firstError}` : ''),
        );
      }
    }
    return rows;
  } finally {
    await Promise.all([reads?.close(), writes?.close()]);
  }
}

const caseCount = runCases ? selectedCases().length : 0;
const soakS = runSoak ? soakOptions.warmupS + soakOptions.minutes * 60 : 0;
// Starting the dozen server processes takes about a minute on a busy 2-CPU machine.
const estimateS = Math.round(caseCount * (durationS + warmupRounds * warmupS) + (runCases ? 60 + 6 * processWarmupS : 0) + soakS);
console.log(
  `kspay-gateway benchmark: ${cpus().length} CPUs, Node ${process.version}, ${connections} connections, ` +
    `${caseCount} cases × ${durationS} s${runSoak ? ` + a ${soakOptions.minutes}-minute memory soak` : ''} ≈ ${Math.ceil(estimateS / 60)} min` +
    compared.map((c) => `; "${c.variant}" is ${c.sha}, served from ${c.dir}`).join('') +
    '\n',
);

const started = new Date();
const rows = runCases ? await runAllCases() : [];
let soak: SoakResult | null = null;
if (runSoak) {
  console.log(`\nmemory soak: ${soakOptions.warmupS} s warm-up, then ${soakOptions.minutes} min of mixed load …`);
  soak = await soakMemory(soakOptions);
}

if (rows.length) console.log(`\n${resultsTable(rows)}\n`);
if (soak) console.log(`${soakSummary(soak)}\n`);
console.log(`${targetsTable(targets(rows, soak, quick))}\n`);
if (rows.length) console.log(`${interpretation(rows, soak, quick)}\n`);

if (write) {
  const path = fileURLToPath(new URL('RESULTS.md', import.meta.url));
  writeResults(path, { date: started, durationS, warmupS: warmupRounds * warmupS, slices, connections, quick }, rows, soak);
  console.log(`Written to ${path}`);
} else {
  console.log(`bench/RESULTS.md not written (only a complete, full-length run${compared.length ? ' without --compare' : ''} replaces it).`);
}
// Keep-alive sockets of the global fetch pool would otherwise hold the process open for a few seconds.
process.exit(0);
