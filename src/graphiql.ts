/**
 * GraphiQL's page: the operations in examples/ as its default tabs, in the order of a
 * payment, with variables ready to run against the built-in sandbox. One operation per
 * tab, so each runs as it is.
 */
import { readFileSync } from 'node:fs';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import type { GraphiQLOptions } from 'graphql-yoga';

const EXAMPLES = new URL('../examples/', import.meta.url);

/** Where the walkthrough's payments come back to: a page the gateway serves with GraphiQL (src/http/payment-return.ts). */
export const PAYMENT_RETURN_PATH = '/payment-return';
/** The redirect of a gateway GraphiQL cannot send a browser back to (not on this machine). */
const PLACEHOLDER_REDIRECT_URL = 'https://merchant.example/payment-return';
/** The hosts the gateway's own redirectUrl check allows over http (src/payments/redirect-url.ts). */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
/** A linked tab's query and variables longer than this are not opened. */
const MAX_LINKED_CHARS = 8192;

export interface ExampleIds {
  currencyId?: string;
  paymentMethodId?: string;
}

/** Yoga's GraphiQL also reads an initial query and variables, which its option type does not list. */
type PageOptions = GraphiQLOptions & { query?: string; variables?: string };
type Tab = NonNullable<GraphiQLOptions['defaultTabs']>[number];

function example(file: string): string {
  return readFileSync(new URL(file, EXAMPLES), 'utf8');
}

const vars = (value: unknown) => JSON.stringify(value, null, 2);

/** The Transaction and RecentTransactions examples share one fragment, which their tabs carry. */
const withTransactionDetails = (query: string) => `${query}\n${example('transaction-details.graphql')}`;

export function graphiqlTabs(ids: ExampleIds = {}, redirectUrl = PLACEHOLDER_REDIRECT_URL): Tab[] {
  const reference = `order-${Date.now().toString(36)}`;
  return [
    { query: example('catalog.graphql') },
    {
      query: example('initiate.graphql'),
      variables: vars({
        input: {
          currencyId: ids.currencyId ?? 'c_XXXXXXXXXX',
          paymentMethodId: ids.paymentMethodId ?? 'pm_XXXXXXXXX',
          amount: '345.67',
          referenceNumber: reference,
          redirectUrl,
        },
      }),
    },
    { query: example('process.graphql'), variables: vars({ input: { signature: 'paste the signature from step 2' } }) },
    {
      query: example('verify.graphql'),
      variables: vars({ kspayId: 'tx_XXXXXXXXX', paymentStatus: 'success', providerPaymentId: null }),
    },
    { query: withTransactionDetails(example('transaction.graphql')), variables: vars({ id: 'tx_XXXXXXXXX' }) },
    { query: withTransactionDetails(example('recent-transactions.graphql')), variables: vars({ first: 10 }) },
    // The last hour: well inside the records' lifetime (IDEMPOTENCY_TTL_MS) and the window cap.
    { query: example('reconciliation.graphql'), variables: vars({ from: new Date(Date.now() - 3_600_000).toISOString(), to: new Date().toISOString() }) },
  ];
}

/**
 * GraphiQL's options for one page request. On this machine the walkthrough's redirectUrl is
 * the gateway's own return page; a `?query=…&variables=…` link (the return page makes one)
 * opens first, filled in — as a new tab too when the browser already holds GraphiQL's tabs.
 */
export function graphiqlOptions(ids: ExampleIds = {}) {
  return (request: Request): PageOptions => {
    const url = new URL(request.url);
    const redirectUrl = LOOPBACK_HOSTS.has(url.hostname) ? `${url.origin}${PAYMENT_RETURN_PATH}` : undefined;
    const tabs = graphiqlTabs(ids, redirectUrl);
    const options: PageOptions = { title: 'KS Pay gateway', defaultTabs: tabs, shouldPersistHeaders: false };
    const linked = linkedTab(url.searchParams);
    if (!linked) return options;
    return { ...options, ...linked, defaultTabs: [linked, ...tabs] };
  };
}

/** The operation a link asks for: a query and a JSON object of variables, within bounds; else none. */
function linkedTab(params: URLSearchParams): { query: string; variables: string } | null {
  const query = params.get('query');
  const variables = params.get('variables');
  if (!query || !variables || query.length + variables.length > MAX_LINKED_CHARS) return null;
  try {
    const parsed: unknown = JSON.parse(variables);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return null;
    return { query, variables: vars(parsed) };
  } catch {
    return null;
  }
}

/**
 * Yoga's page writes its options into an inline script as plain JSON, where a `</script>`
 * in any string (a linked query, say) would end the script. Here the same JSON is written
 * with `<`, `>`, `&` and the JavaScript line separators escaped, so no option can.
 */
export function renderGraphiQLSafely(options: GraphiQLOptions): string {
  const page = renderGraphiQL(options);
  const json = JSON.stringify(options ?? {});
  return page.replace(json, () => scriptSafeJson(json));
}

function scriptSafeJson(json: string): string {
  return json.replace(/[<>&\u2028\u2029]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
