/**
 * The report's bounds and its CSV over real HTTP: every cap answers REPORT_TOO_LARGE naming
 * its setting (the window's caps before any upstream call, the row cap after KS Pay's first
 * page); bad windows are VALIDATION with no upstream call; the CSV route takes the API key and
 * scope of /graphql; CSV cells are RFC 4180 quoted and safe against formula injection.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Decimal } from '../../src/kspay/money.js';
import { csvCell } from '../../src/reconciliation/csv.js';
import { sumOf } from '../../src/reconciliation/decimal-sum.js';
import { startStack, type Stack } from '../support/stack.js';
import { initiate } from '../support/webhook-payments.js';
import { csvRows, REPORT } from './support.js';

const READER = 'reader-key-0123456789';
const KEYS = { [READER]: ['transactions:read', 'transactions:write', 'catalog:read'], 'catalog-key-0123456789': ['catalog:read'] };
const HOUR = 3_600_000;
const MAX_ROWS = 5;

let stack: Stack;
let base: string;
beforeAll(async () => {
  stack = await startStack({
    env: { GATEWAY_API_KEYS: JSON.stringify(KEYS), RECONCILIATION_MAX_ROWS: String(MAX_ROWS), RECONCILIATION_MAX_WINDOW_MS: String(7 * 24 * HOUR) },
    headers: { authorization: `Bearer ${READER}` },
  });
  base = stack.url.replace('/graphql', '');
});
afterAll(() => stack?.close());

const iso = (ms: number) => new Date(ms).toISOString();
const csv = (from: string, to: string, headers: Record<string, string> = { authorization: `Bearer ${READER}` }, method = 'GET') =>
  fetch(`${base}/reports/reconciliation.csv?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`, { headers, method });

describe('CSV cells', () => {
  it('quotes per RFC 4180 and escapes a cell a spreadsheet would run as a formula', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\r\nlines')).toBe('"two\r\nlines"');
    for (const start of ['=', '+', '-', '@', '\t', '\r'])
      expect(csvCell(`${start}1+1`).startsWith(`'${start}`) || csvCell(`${start}1+1`).startsWith(`"'${start}`)).toBe(true);
    expect(csvCell('=HYPERLINK("http://evil.example","x")')).toBe('"\'=HYPERLINK(""http://evil.example"",""x"")"');
    expect(csvCell(null)).toBe('');
  });

  it('sums amounts exactly, whatever their places', () => {
    const amounts = ['0.1', '0.2', '19.99', '1000000000000.00000001', '3'].map((text) => Decimal.parse(text)!);
    expect(sumOf(amounts).text).toBe('1000000000023.29000001');
    expect(sumOf([]).text).toBe('0');
  });
});

describe('the CSV route', () => {
  it('writes references that look like formulas as text, quoted where they hold commas or quotes', async () => {
    const from = iso(Date.now() - 1_000);
    const references = ['=HYPERLINK("http://evil.example","x")', '+1,2', '@SUM(A1:A9)', '-2+3'];
    for (const reference of references) await initiate(stack, reference);
    const response = await csv(from, iso(Date.now()));
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toContain('"\'=HYPERLINK(""http://evil.example"",""x"")"');
    expect(text).toContain('"\'+1,2"');
    const cells = csvRows(text).map((row) => row.referenceNumber);
    expect(cells.sort()).toEqual(references.map((reference) => `'${reference}`).sort());
    for (const row of csvRows(text)) for (const cell of Object.values(row)) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });

  it('takes the API key and scope of /graphql: none is 401, a key without transactions:read 403, and only GET', async () => {
    const now = iso(Date.now());
    const noKey = await csv(now, now, {});
    expect(noKey.status).toBe(401);
    expect((await noKey.json()).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    const catalogOnly = await csv(now, now, { authorization: 'Bearer catalog-key-0123456789' });
    expect(catalogOnly.status).toBe(403);
    expect((await catalogOnly.json()).errors[0].extensions.code).toBe('FORBIDDEN');
    expect((await csv(now, now, { authorization: `Bearer ${READER}` }, 'POST')).status).toBe(405);
    const graphql = await stack.gql(REPORT, { from: now, to: now }, { authorization: 'Bearer catalog-key-0123456789' });
    expect(graphql.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('the caps and bad windows', () => {
  async function expectNoUpstreamCall(ask: () => Promise<void>) {
    const before = stack.sandbox.calls.count();
    await ask();
    expect(stack.sandbox.calls.count()).toBe(before);
  }

  it('refuses a window longer than RECONCILIATION_MAX_WINDOW_MS, saying how to narrow it, before any upstream call', async () => {
    const now = Date.now(); // one reading: two would differ by a millisecond on a busy machine
    const [from, to] = [iso(now - 8 * 24 * HOUR), iso(now)];
    await expectNoUpstreamCall(async () => {
      const answer = await stack.gql(REPORT, { from, to });
      expect(answer.errors?.[0]).toMatchObject({ extensions: { code: 'REPORT_TOO_LARGE', setting: 'RECONCILIATION_MAX_WINDOW_MS', limit: 7 * 24 * HOUR } });
      expect(answer.errors?.[0]?.message).toMatch(/covers 192 hours; a report covers at most 168 hours .*shorter windows/);
      const response = await csv(from, to);
      expect(response.status).toBe(422);
      expect((await response.json()).errors[0].extensions.code).toBe('REPORT_TOO_LARGE');
    });
  });

  it('refuses a window reaching back past IDEMPOTENCY_TTL_MS (what was asked is forgotten) before any upstream call', async () => {
    await expectNoUpstreamCall(async () => {
      const answer = await stack.gql(REPORT, { from: iso(Date.now() - 25 * HOUR), to: iso(Date.now() - 24.5 * HOUR) });
      expect(answer.errors?.[0]).toMatchObject({ extensions: { code: 'REPORT_TOO_LARGE', setting: 'IDEMPOTENCY_TTL_MS', limit: 24 * HOUR } });
      expect(answer.errors?.[0]?.message).toMatch(/choose a later from/);
    });
  });

  it('answers VALIDATION for a window that ends before it starts or starts in the future, and a missing or bad date on the CSV route', async () => {
    await expectNoUpstreamCall(async () => {
      const backwards = await stack.gql(REPORT, { from: iso(Date.now()), to: iso(Date.now() - HOUR) });
      expect(backwards.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION', field: 'from' });
      const future = await stack.gql(REPORT, { from: iso(Date.now() + HOUR), to: iso(Date.now() + 2 * HOUR) });
      expect(future.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION', field: 'from' });
      const missing = await fetch(`${base}/reports/reconciliation.csv?from=${iso(Date.now())}`, { headers: { authorization: `Bearer ${READER}` } });
      expect(missing.status).toBe(400);
      expect((await missing.json()).errors[0]).toMatchObject({ extensions: { code: 'VALIDATION' }, message: expect.stringMatching(/^to is required/) });
      const bad = await csv('yesterday', iso(Date.now()));
      expect(bad.status).toBe(400);
    });
  });

  it('refuses a window holding more than RECONCILIATION_MAX_ROWS transactions after KS Pay’s first page, and reads nothing else', async () => {
    const from = iso(Date.now() - HOUR);
    for (let i = 0; i < 2; i++) await initiate(stack);
    expect(stack.sandbox.transactions.list().length).toBeGreaterThan(MAX_ROWS);
    const before = stack.sandbox.calls.snapshot();
    const answer = await stack.gql(REPORT, { from, to: iso(Date.now()) });
    expect(answer.errors?.[0]).toMatchObject({ extensions: { code: 'REPORT_TOO_LARGE', setting: 'RECONCILIATION_MAX_ROWS', limit: MAX_ROWS } });
    expect(answer.errors?.[0]?.message).toMatch(/^The window holds 6 transactions or records; a report reads at most 5 .*shorter window$/);
    const after = stack.sandbox.calls.snapshot();
    const changed = Object.fromEntries(Object.entries(after).filter(([endpoint, count]) => count !== before[endpoint as keyof typeof before]));
    expect(changed).toEqual({ transactions: before.transactions + 1 });
  });
});
