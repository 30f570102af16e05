/**
 * The reconciliation report over real HTTP against the sandbox: payments made through the
 * gateway (paid, declined), one made directly on the sandbox, one whose amount the sandbox
 * records differently, one left initiated past the stuck age, and one final whose webhook keeps
 * failing. The report names each exactly once with the right kind, its totals are the exact
 * decimal sums, the CSV has the same rows, and nothing it does changes state upstream.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isFinalStatus } from '../../src/kspay/models.js';
import { pressCheckout } from '../support/graphql-http.js';
import { startStack, type Stack } from '../support/stack.js';
import { initiate, payAndLeave } from '../support/webhook-payments.js';
import { FAST, SECRET, startReceiver, waitFor, type TestReceiver } from '../support/webhook-receiver.js';
import { CURRENCY_IDS } from '../../src/sandbox/fixtures.js';
import { csvRows, payDirectlyOnSandbox, REPORT, type ReportedDiscrepancy } from './support.js';
import { PROCESS } from '../support/documents.js';

const STUCK_AFTER_MS = 3_000;

let stack: Stack;
let receiver: TestReceiver;
const failingFor = new Set<string>();
const payments: Record<'paid' | 'declined' | 'direct' | 'altered' | 'otherCurrency' | 'stuck' | 'unnotified', { id: string; reference: string }> = {} as never;
let from: string;

beforeAll(async () => {
  receiver = await startReceiver((request) => (failingFor.has(request.transactionId) ? 500 : 200));
  stack = await startStack({
    env: { WEBHOOK_URL: receiver.url, WEBHOOK_SECRET: SECRET, ATTENTION_AFTER_MS: String(STUCK_AFTER_MS) },
    overrides: { webhooks: FAST },
  });
  from = new Date(Date.now() - 1_000).toISOString();
  payments.paid = await payAndLeave(stack, 'pay');
  payments.declined = await payAndLeave(stack, 'decline');
  payments.direct = await payDirectlyOnSandbox(stack.sandbox);
  stack.sandbox.faults.set({ misrecord: { amount: '25.5', times: 1 } });
  payments.altered = await payAndLeave(stack, 'pay');
  stack.sandbox.faults.set({ misrecord: { currencyId: CURRENCY_IDS.INR, times: 1 } });
  payments.otherCurrency = await payAndLeave(stack, 'pay');
  payments.stuck = await initiate(stack);
  // The receiver fails every event of the next payment's transaction, so its final status is never told.
  const unnotified = await initiate(stack);
  failingFor.add(unnotified.id);
  payments.unnotified = unnotified;
  const processed = await stack.gql(PROCESS, { input: { signature: unnotified.signature } });
  await pressCheckout(processed.data.processTransaction.checkoutUrl, 'pay');
  // The sweep tells the receiver of the payment made behind the gateway's back.
  await stack.app.webhooks.sweep('test');
});
afterAll(async () => {
  await stack?.close();
  await receiver?.stop();
});

const EXPECTED: [keyof typeof payments, string][] = [
  ['direct', 'UNKNOWN_TO_GATEWAY'],
  ['altered', 'AMOUNT_MISMATCH'],
  ['otherCurrency', 'CURRENCY_MISMATCH'],
  ['stuck', 'STUCK'],
  ['unnotified', 'UNNOTIFIED'],
];

async function report(): Promise<{ totals: any[]; discrepancies: ReportedDiscrepancy[]; to: string }> {
  const answer = await stack.gql(REPORT, { from, to: new Date().toISOString() });
  expect(answer.errors).toBeUndefined();
  return answer.data.reconciliation;
}

const kinds = (found: ReportedDiscrepancy[]) => found.map((d) => `${d.transactionId} ${d.kind}`).sort();
const expectedKinds = () => EXPECTED.map(([name, kind]) => `${payments[name].id} ${kind}`).sort();

describe('the reconciliation report', () => {
  it('names each difference exactly once, with the right kind, and totals the exact sums', async () => {
    // Final events are delivered and the stuck one ages: wait until the report settles on its answer.
    const settled = await waitFor(
      'the report to name the five differences',
      async () => {
        const found = await report();
        return JSON.stringify(kinds(found.discrepancies)) === JSON.stringify(expectedKinds()) ? found : null;
      },
      30_000,
    );
    expect(kinds(settled.discrepancies)).toEqual(expectedKinds());
    const byKind = Object.fromEntries(settled.discrepancies.map((d) => [d.kind, d]));
    expect(byKind.UNKNOWN_TO_GATEWAY).toMatchObject({ referenceNumber: payments.direct.reference });
    expect(byKind.UNKNOWN_TO_GATEWAY!.detail).toContain('345.67 INR');
    expect(byKind.AMOUNT_MISMATCH).toMatchObject({ referenceNumber: payments.altered.reference, detail: 'expected amount 19.99, KS Pay holds 25.5' });
    expect(byKind.CURRENCY_MISMATCH).toMatchObject({
      referenceNumber: payments.otherCurrency.reference,
      detail: `expected currency USD (${CURRENCY_IDS.USD}), KS Pay holds INR (${CURRENCY_IDS.INR})`,
    });
    expect(byKind.STUCK!.detail).toMatch(/^still INITIATED \d+ seconds after it was created/);
    expect(byKind.UNNOTIFIED!.detail).toMatch(/^the SUCCESS webhook reached 0 of 1 endpoints \((pending|failed), \d+ attempts, last answer HTTP 500\)$/);

    expect(settled.totals).toEqual([
      { currencyCode: 'INR', status: 'SUCCESS', count: 2, amount: '365.66' },
      { currencyCode: 'USD', status: 'INITIATED', count: 1, amount: '19.99' },
      { currencyCode: 'USD', status: 'SUCCESS', count: 3, amount: '65.48' },
      { currencyCode: 'USD', status: 'FAILED', count: 1, amount: '19.99' },
    ]);
  });

  it('agrees with transactionsNeedingAttention: the stuck one unsettled, the unnotified one undelivered', async () => {
    const { data } = await stack.gql('{ transactionsNeedingAttention(first: 50) { transactionId reason } }');
    const attention = data.transactionsNeedingAttention.map((a: { transactionId: string; reason: string }) => `${a.transactionId} ${a.reason}`);
    expect(attention.sort()).toEqual([`${payments.stuck.id} UNSETTLED`, `${payments.unnotified.id} UNDELIVERED`].sort());
  });

  it('serves the same rows as CSV, one per transaction, with the same discrepancies', async () => {
    const to = new Date().toISOString();
    const response = await fetch(`${stack.url.replace('/graphql', '')}/reports/reconciliation.csv?from=${from}&to=${to}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
    // Written line by line as the client reads: chunked, no length known up front.
    expect(response.headers.get('transfer-encoding')).toBe('chunked');
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="reconciliation-\d{8}T\d{6}Z-\d{8}T\d{6}Z\.csv"$/);
    const text = await response.text();
    expect(text.split('\r\n')[0]).toBe('referenceNumber,transactionId,currencyCode,amount,status,discrepancy,detail,askedAmount,askedCurrencyCode');
    const rows = csvRows(text);
    expect(rows.map((row) => row.transactionId).sort()).toEqual(
      Object.values(payments)
        .map((p) => p.id)
        .sort(),
    );
    const flagged = rows.filter((row) => row.discrepancy !== '').map((row) => `${row.transactionId} ${row.discrepancy}`);
    expect(flagged.sort()).toEqual(expectedKinds());
    const altered = rows.find((row) => row.transactionId === payments.altered.id)!;
    expect(altered).toMatchObject({ currencyCode: 'USD', amount: '25.5', status: 'SUCCESS', askedAmount: '19.99', askedCurrencyCode: 'USD' });
    expect(rows.find((row) => row.transactionId === payments.direct.id)).toMatchObject({
      amount: '345.67',
      askedAmount: '',
      discrepancy: 'UNKNOWN_TO_GATEWAY',
    });
  });

  it('changes nothing upstream: only reads, and every transaction as it was', async () => {
    const before = stack.sandbox.calls.snapshot();
    const states = stack.sandbox.transactions.list().map((t) => `${t.id} ${t.status} ${t.amount}`);
    await report();
    const after = stack.sandbox.calls.snapshot();
    expect(after.initiate).toBe(before.initiate);
    expect(after.process).toBe(before.process);
    expect(after.transactions).toBeGreaterThan(before.transactions);
    expect(stack.sandbox.transactions.list().map((t) => `${t.id} ${t.status} ${t.amount}`)).toEqual(states);
    expect(
      stack.sandbox.transactions
        .list()
        .filter((t) => !isFinalStatus(t.status))
        .map((t) => t.id),
    ).toEqual([payments.stuck.id]);
  });
});
