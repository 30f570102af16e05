/**
 * A soak of mixed operations through the gateway while the sandbox injects faults:
 * latency, failing reads, rate limits, dropped initiate answers, hangs and token expiry.
 * Clients behave as a careful merchant app does: they retry `retryable` answers with the
 * same input. At the end every reference is checked against the sandbox's store.
 *
 *   npm run bench:soak [-- --operations 2000]
 */
import { EventEmitter } from 'node:events';
import { createApp, listen } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { startSandbox, type Sandbox } from '../src/sandbox/server.js';

export interface SoakReport {
  operations: number;
  succeeded: number;
  typedFailures: number;
  untypedFailures: number;
  retriesByClients: number;
  references: number;
  duplicatesUpstream: number;
  lostInitiations: number;
}

const INITIATE = `mutation($input: InitiateTransactionInput!) { initiateTransaction(input: $input) {
  __typename ... on InitiateTransactionSuccess { signature transaction { id } }
  ... on Error { code } ... on UpstreamUnavailableError { retryable retryAfterMs } ... on SignatureInvalidError { reason message } } }`;
const PROCESS = `mutation($s: String!) { processTransaction(input: { signature: $s }) { __typename ... on Error { code } ... on UpstreamUnavailableError { retryable } } }`;
const LOOKUP = 'query($id: ID!) { transaction(id: $id) { id status } }';
const CATALOG = '{ currencies { id code paymentMethods { id } } }';
const PAGE = '{ transactions(first: 10) { edges { node { id currency { code } paymentMethod { name } } } } }';

type Answer = { data?: any; errors?: { extensions?: { code?: string; retryable?: boolean } }[] };
type Post = (query: string, variables?: object) => Promise<Answer>;

/** One soak in progress: the client, what it was told, and the counts so far. */
interface SoakRun {
  post: Post;
  sandbox: Sandbox;
  catalog: { id: string; code: string; paymentMethods: { id: string }[] }[];
  report: SoakReport;
  /** What the client was finally told per reference: a transaction id, or null. */
  outcomes: Map<string, string | null>;
  knownIds: string[];
}

/**
 * `upstreamTimeoutMs` is the gateway's KSPAY_TIMEOUT_MS: short, a hang costs little; the test
 * suite sets it longer, so that on a busy machine only the injected hangs time out.
 */
export async function runSoak({ operations = 2000, concurrency = 16, upstreamTimeoutMs = 400 } = {}): Promise<SoakReport> {
  const sandbox = await startSandbox();
  const config = loadConfig({ KSPAY_TIMEOUT_MS: String(upstreamTimeoutMs), CATALOG_TTL_MS: '500', LOG_LEVEL: 'silent' });
  const app = createApp(config, { baseUrl: sandbox.url, credentials: sandbox.credentials });
  const { server, url } = await listen(app, 0);
  try {
    const post: Post = async (query, variables) => {
      const body = JSON.stringify({ query, variables });
      const response = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      return (await response.json()) as Answer;
    };
    const run: SoakRun = {
      post,
      sandbox,
      catalog: (await post(CATALOG)).data.currencies,
      report: {
        operations: 0,
        succeeded: 0,
        typedFailures: 0,
        untypedFailures: 0,
        retriesByClients: 0,
        references: 0,
        duplicatesUpstream: 0,
        lostInitiations: 0,
      },
      outcomes: new Map(),
      knownIds: [],
    };
    sandbox.faults.set({ latencyMs: 2, failureRate: { transaction: 0.1, transactions: 0.1, currencies: 0.1, paymentMethods: 0.1 } });
    let next = 0;
    const worker = async () => {
      while (next < operations) await operation(run, next++);
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    reconcile(run);
    return run.report;
  } finally {
    server.closeAllConnections();
    server.close();
    await app.close();
    await sandbox.close();
  }
}

/** The index-th operation: every so often a fault first (a dropped initiate answer, a hang, a rate limit, expired tokens). */
async function operation(run: SoakRun, index: number): Promise<void> {
  const { sandbox, post } = run;
  if (index % 50 === 7) sandbox.faults.set({ dropAfterCommit: { initiate: 1 } });
  if (index % 50 === 19) sandbox.faults.set({ hang: { initiate: 1 } });
  if (index % 50 === 31) sandbox.faults.set({ rateLimit: { initiate: { retryAfterSeconds: 0, times: 1 } } });
  if (index % 200 === 99) sandbox.tokens.expireAll();
  switch (index % 4) {
    case 0:
    case 1:
      return payment(run, index);
    case 2:
      return record(run, await post(LOOKUP, { id: run.knownIds[index % Math.max(1, run.knownIds.length)] ?? 'tx_Abcdefghi' }));
    default:
      return record(run, await post(index % 8 === 3 ? CATALOG : PAGE));
  }
}

function record({ report }: SoakRun, result: Answer, field?: string): void {
  report.operations += 1;
  const payload = field ? result.data?.[field] : null;
  const typedError = payload?.code ?? result.errors?.[0]?.extensions?.code;
  if (result.errors && !result.errors[0]?.extensions?.code) report.untypedFailures += 1;
  else if (typedError) report.typedFailures += 1;
  else report.succeeded += 1;
}

/** A merchant's initiate: retried with the same input while the answer is retryable. */
async function payment(run: SoakRun, index: number): Promise<void> {
  const { catalog, report, outcomes, post } = run;
  const currency = catalog[index % catalog.length];
  const reference = `soak-${index}`;
  const input = {
    currencyId: currency!.id,
    paymentMethodId: currency!.paymentMethods[0]!.id,
    amount: `${(index % 97) + 1}.25`,
    referenceNumber: reference,
    redirectUrl: 'https://shop.example/r',
  };
  report.references += 1;
  for (let attempt = 0; attempt < 30; attempt++) {
    const result = await post(INITIATE, { input });
    record(run, result, 'initiateTransaction');
    const answer = result.data?.initiateTransaction;
    if (answer?.__typename === 'InitiateTransactionSuccess') {
      outcomes.set(reference, answer.transaction.id);
      run.knownIds.push(answer.transaction.id);
      if (index % 3 === 0) record(run, await post(PROCESS, { s: answer.signature }), 'processTransaction');
      return;
    }
    if (answer?.__typename === 'SignatureInvalidError' && answer.reason === 'LOST') {
      outcomes.set(reference, /tx_[A-Za-z0-9]{9}/.exec(answer.message)?.[0] ?? null);
      return;
    }
    if (!answer?.retryable) break;
    report.retriesByClients += 1;
    // As the gateway asks: an unanswered initiate is resolved only after its quiet period.
    await new Promise((resolve) => setTimeout(resolve, answer.retryAfterMs ?? 20));
  }
  outcomes.set(reference, null);
}

/** Every reference against what the upstream holds: one transaction, the one the client was told of. */
function reconcile({ sandbox, outcomes, report }: SoakRun): void {
  for (const [reference, toldId] of outcomes) {
    const upstream = sandbox.transactions.byReference(sandbox.credentials.appId, reference);
    if (upstream.length > 1) report.duplicatesUpstream += upstream.length - 1;
    const heldId = upstream[0]?.id ?? null;
    if (heldId !== toldId) report.lostInitiations += 1;
  }
}

export function printSoak(report: SoakReport): void {
  console.log('\nSoak with injected faults');
  console.table({
    'operations sent': report.operations,
    succeeded: report.succeeded,
    'typed failures': report.typedFailures,
    'untyped failures': report.untypedFailures,
    'client retries (same input)': report.retriesByClients,
    'payment references': report.references,
    'duplicates created upstream (must be 0)': report.duplicatesUpstream,
    'lost initiations (must be 0)': report.lostInitiations,
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  // The in-process sandbox parks every delayed answer on one shared AbortSignal: many at
  // once are expected, not a leak (Node warns past 10 listeners).
  EventEmitter.defaultMaxListeners = 10_000;
  const flag = process.argv.indexOf('--operations');
  const operations = flag > 0 ? Number(process.argv[flag + 1]) : 2000;
  const report = await runSoak({ operations });
  printSoak(report);
  process.exit(report.duplicatesUpstream === 0 && report.lostInitiations === 0 ? 0 : 1);
}
