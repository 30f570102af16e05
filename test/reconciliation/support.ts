/** What the reconciliation tests share: the report query, a payment made behind the gateway's back, and a CSV reader. */
import { CURRENCY_IDS, DEMO_APP, PAYMENT_METHOD_IDS } from '../../src/sandbox/fixtures.js';
import type { Sandbox } from '../../src/sandbox/server.js';
import { newReference } from '../support/references.js';
import { pressCheckout } from '../support/graphql-http.js';

export const REPORT = `query($from: DateTime!, $to: DateTime!) { reconciliation(from: $from, to: $to) {
  from to totals { currencyCode status count amount } discrepancies { kind referenceNumber transactionId detail } } }`;

export interface ReportedDiscrepancy {
  kind: string;
  referenceNumber: string | null;
  transactionId: string | null;
  detail: string;
}

/** A payment made on KS Pay directly (INR 345.67, paid), which no gateway record asked for. */
export async function payDirectlyOnSandbox(sandbox: Sandbox): Promise<{ id: string; reference: string }> {
  const { appId, accessKey, secretKey } = sandbox.credentials;
  const login = await post(sandbox, `/auth/generate-token/${appId}`, { accessKey, secretKey });
  const authorization = `Bearer ${login.result.accessToken}`;
  const reference = newReference('direct');
  const initiated = await post(
    sandbox,
    '/transaction/initiate',
    {
      currencyId: CURRENCY_IDS.INR,
      paymentMethodId: PAYMENT_METHOD_IDS.INR_NET_BANKING,
      amount: 345.67,
      referenceNumber: reference,
      appId: DEMO_APP.id,
      redirectUrl: 'https://shop.example/r',
    },
    { authorization },
  );
  const processed = await post(sandbox, '/transaction/process', {}, { 'x-signature': initiated.result.signature });
  await pressCheckout(processed.result.order.checkoutUrl, 'pay');
  return { id: initiated.result.pe_txnId, reference };
}

async function post(sandbox: Sandbox, path: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(sandbox.url + path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  if (response.status !== 201) throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
  return response.json() as Promise<any>;
}

/** RFC 4180 records: quoted cells may hold commas, doubled quotes and line breaks. */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') cells.push(cell), (cell = '');
    else if (char === '\r' && text[i + 1] === '\n') {
      cells.push(cell);
      records.push(cells);
      (cells = []), (cell = ''), i++;
    } else cell += char;
  }
  return records;
}

/** The CSV's rows as objects keyed by its header. */
export function csvRows(text: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(text);
  return rows.map((row) => Object.fromEntries(header!.map((name, i) => [name, row[i] ?? ''])));
}
