/**
 * What the settlement watcher costs KS Pay: 1,000 unpaid transactions watched for 30
 * minutes of a simulated clock (the watcher's own ticks, driven here one simulated second
 * at a time, against the real sandbox over HTTP), counting the upstream reads per
 * simulated minute. Run: `npx tsx bench/watcher-cost.ts [transactions] [minutes]`.
 *
 * The bound it checks: one instance polls at most pollsPerTick per tick (20 a second, so
 * 1,200 calls a minute) whatever it watches; once past their first minutes, N watched
 * transactions cost N per maxPollMs (1,000 → 200 a minute at 5 minutes).
 *
 * Then the reconciling sweep over the same transactions: one sweep reads the list 100 at a
 * time, at most WEBHOOK_SWEEP_MAX_PAGES (20) reads, once per WEBHOOK_SWEEP_INTERVAL_MS (5 min).
 */
import { KsPayClient } from '../src/kspay/client.js';
import { Decimal } from '../src/kspay/money.js';
import { createLogger } from '../src/observability/logger.js';
import { exampleIdsOf } from '../src/sandbox/fixtures.js';
import { startSandbox } from '../src/sandbox/server.js';
import { LocalPollLock } from '../src/stores/memory.js';
import { MemoryWatchList } from '../src/stores/webhooks-memory.js';
import { TransactionSweep } from '../src/webhooks/sweep.js';
import { SettlementWatcher } from '../src/webhooks/watcher.js';
import { loadConfig } from '../src/config.js';

// The default settings, as an empty environment gives them.
const { watch: watchPolicy, sweep: sweepPolicy } = loadConfig({}).webhooks;
const transactions = Number(process.argv[2] ?? 1_000);
const minutes = Number(process.argv[3] ?? 30);

const sandbox = await startSandbox();
const client = new KsPayClient({ baseUrl: sandbox.url, ...sandbox.credentials, timeoutMs: 10_000 });
const ids = await initiateMany(transactions);

let clock = Date.now();
const watchList = new MemoryWatchList();
const watcher = new SettlementWatcher({
  client,
  watchList,
  lock: new LocalPollLock(),
  policy: watchPolicy,
  logger: createLogger('silent'),
  onPolled: async () => undefined,
  now: () => clock,
});
for (const id of ids) await watcher.follow({ id, status: 'INITIATED' } as never, clock);

sandbox.calls.reset();
const perMinute: number[] = [];
for (let minute = 0; minute < minutes; minute++) {
  const before = sandbox.calls.count('transaction');
  for (let second = 0; second < 60; second++) {
    clock += 1_000;
    await watcher.tick(clock);
  }
  perMinute.push(sandbox.calls.count('transaction') - before);
}

const ceiling = (watchPolicy.pollsPerTick * 60_000) / watchPolicy.tickMs;
const steady = (transactions * 60_000) / watchPolicy.maxPollMs;
console.log(`${transactions} watched transactions, ${minutes} simulated minutes`);
console.log(`KS Pay reads per minute: ${perMinute.join(' ')}`);
console.log(`max ${Math.max(...perMinute)} (ceiling ${ceiling}); last 10 minutes average ${average(perMinute.slice(-10))} (steady-state bound ${steady})`);
if (Math.max(...perMinute) > ceiling) process.exitCode = 1;

// The sweep, with the default settings: its reads are bounded by maxPages whatever the window holds.
const sweeper = new TransactionSweep({
  client,
  lock: new LocalPollLock(),
  policy: sweepPolicy,
  logger: createLogger('silent'),
  ensureEvent: async () => false,
});
sandbox.calls.reset();
const swept = await sweeper.sweep('bench');
const listReads = sandbox.calls.count('transactions');
console.log(
  `sweep: ${swept.examined} transactions examined in ${listReads} list reads (${swept.outcome}; bound ${sweepPolicy.maxPages}), so at most ${(sweepPolicy.maxPages * 60_000) / sweepPolicy.intervalMs} reads a minute across all instances`,
);
if (listReads > sweepPolicy.maxPages) process.exitCode = 1;
await client.close();
await sandbox.close();

async function initiateMany(count: number): Promise<string[]> {
  const { currencyId, paymentMethodId } = exampleIdsOf();
  const found: string[] = [];
  for (let start = 0; start < count; start += 50) {
    const batch = Array.from({ length: Math.min(50, count - start) }, (_, i) =>
      client.initiateTransaction({
        currencyId,
        paymentMethodId,
        amount: Decimal.parse('10.00')!,
        referenceNumber: `bench-watch-${start + i}-${Date.now()}`,
        redirectUrl: 'https://shop.example/r',
      }),
    );
    for (const initiated of await Promise.all(batch)) found.push(initiated.transactionId!);
  }
  return found;
}

function average(values: number[]): number {
  return Math.round(values.reduce((sum, v) => sum + v, 0) / Math.max(values.length, 1));
}
