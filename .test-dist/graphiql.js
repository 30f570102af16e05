/**
 * GraphiQL's page: the operations in examples/ as its default tabs, in the order of a
 * payment, with variables ready to run against the built-in sandbox. One operation per
 * tab, so each runs as it is.
 */
import { readFileSync } from 'node:fs';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
const EXAMPLES = new URL('../examples/', import.meta.url);
/** Where the walkthrough's payments come back to: a page the gateway serves with GraphiQL (src/http/payment-return.ts). */
export const PAYMENT_RETURN_PATH = '/payment-return';
/** The redirect of a gateway GraphiQL cannot send a browser back to (not on this machine). */
const PLACEHOLDER_REDIRECT_URL = 'https://merchant.example/payment-return';
/** The hosts the gateway's own redirectUrl check allows over http (src/payments/redirect-url.ts). */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
/** A returned value longer than this is cut, as on the return page: it is the customer's URL, not ours. */
const MAX_RETURN_VALUE_LENGTH = 200;
/** The option that carries the tabs to fill into the browser's stored tabs: read and removed by renderGraphiQLSafely. */
const FILL = 'kspayFillTabs';
function example(file) {
    return readFileSync(new URL(file, EXAMPLES), 'utf8');
}
const vars = (value) => JSON.stringify(value, null, 2);
/** The Transaction and RecentTransactions examples share one fragment, which their tabs carry. */
const withTransactionDetails = (query) => `${query}\n${example('transaction-details.graphql')}`;
/** What a tab's placeholder says before the walkthrough has a transaction: a clear VALIDATION error, not a quiet null. */
const PASTE_ID = 'paste the id from step 2';
export function graphiqlTabs(ids = {}, redirectUrl = PLACEHOLDER_REDIRECT_URL, back) {
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
            variables: vars(back ?? { kspayId: PASTE_ID, paymentStatus: 'success', providerPaymentId: null }),
        },
        { query: withTransactionDetails(example('transaction.graphql')), variables: vars({ id: back?.kspayId ?? PASTE_ID }) },
        { query: withTransactionDetails(example('recent-transactions.graphql')), variables: vars({ first: 10 }) },
        // The last hour: well inside the records' lifetime (IDEMPOTENCY_TTL_MS) and the window cap.
        { query: example('reconciliation.graphql'), variables: vars({ from: new Date(Date.now() - 3_600_000).toISOString(), to: new Date().toISOString() }) },
    ];
}
const VERIFY_TAB = 3;
const FILLED_TABS = [VERIFY_TAB, 4];
/**
 * GraphiQL's options for one page request. On this machine the walkthrough's redirectUrl is
 * the gateway's own return page. Its "Verify it in GraphiQL" link (`?kspay_id=…`) fills the
 * VerifyPaymentReturn and Transaction tabs with the walkthrough's transaction and opens the
 * first: in the tabs GraphiQL kept in the browser too, so no seventh tab appears.
 */
export function graphiqlOptions(ids = {}) {
    return (request) => {
        const url = new URL(request.url);
        const redirectUrl = LOOPBACK_HOSTS.has(url.hostname) ? `${url.origin}${PAYMENT_RETURN_PATH}` : undefined;
        const back = walkthroughReturn(url.searchParams);
        const tabs = graphiqlTabs(ids, redirectUrl, back);
        const options = { title: 'KS Pay gateway', defaultTabs: tabs, shouldPersistHeaders: false };
        if (!back)
            return options;
        const verify = tabs[VERIFY_TAB];
        return { ...options, query: verify.query ?? '', variables: verify.variables ?? '', [FILL]: { tabs, active: VERIFY_TAB, filled: FILLED_TABS } };
    };
}
/** The return link's values, within bounds; none without a kspay id. */
function walkthroughReturn(params) {
    const value = (name) => params.get(name)?.slice(0, MAX_RETURN_VALUE_LENGTH) || null;
    const kspayId = value('kspay_id');
    if (!kspayId)
        return undefined;
    return { kspayId, paymentStatus: value('payment_status') ?? '', providerPaymentId: value('provider_payment_id') };
}
/**
 * Yoga's page writes its options into an inline script as plain JSON, where a `</script>`
 * in any string (a linked query, say) would end the script. Here the same JSON is written
 * with `<`, `>`, `&` and the JavaScript line separators escaped, so no option can.
 */
export function renderGraphiQLSafely(options) {
    const { [FILL]: fill, ...yogaOptions } = options ?? {};
    const page = renderGraphiQL(yogaOptions);
    const json = JSON.stringify(yogaOptions);
    const head = `${TAB_STYLE}${fill ? fillStoredTabs(fill) : ''}</head>`;
    return page.replace(json, () => scriptSafeJson(json)).replace('</head>', () => head);
}
/**
 * GraphiQL's tab bar (Framer Motion's Reorder) is left offset after the page settles, and the
 * first click on a tab makes it jump from under the pointer: the click is lost and Run runs the
 * old tab. Tabs stay where they are laid out (dragging still reorders them).
 */
const TAB_STYLE = '<style>.graphiql-tab { transform: none !important; }</style>';
/**
 * GraphiQL opens the tabs it stored in this browser, and defaultTabs only when there are none:
 * so, before it starts, the filled tabs' query and variables replace those of the stored tabs
 * of the same operation (or the whole set is stored, the filled one open). The page's
 * `query`/`variables` options then match that tab, which GraphiQL opens instead of adding one.
 */
function fillStoredTabs({ tabs, active, filled }) {
    const stored = tabs.map((tab, index) => {
        const operationName = tab.query ? (/^(?:query|mutation|subscription)\s+(\w+)/m.exec(tab.query)?.[1] ?? null) : null;
        const title = operationName ?? '<untitled>';
        return { id: `kspay-tab-${index}`, hash: null, title, query: tab.query, variables: tab.variables ?? null, headers: null, operationName, response: null };
    });
    const data = scriptSafeJson(JSON.stringify({ stored, active, filled }));
    return `<script>(function (fill) {
  try {
    var key = 'graphiql:tabState';
    var state = JSON.parse(localStorage.getItem(key) || 'null');
    if (!state || !Array.isArray(state.tabs)) state = { tabs: fill.stored, activeTabIndex: fill.active };
    else fill.filled.forEach(function (index) {
      var tab = fill.stored[index];
      var kept = state.tabs.find(function (candidate) { return candidate.operationName === tab.operationName; });
      if (kept) { kept.query = tab.query; kept.variables = tab.variables; kept.hash = null; }
    });
    localStorage.setItem(key, JSON.stringify(state));
  } catch (error) { /* no storage: GraphiQL starts from defaultTabs */ }
})(${data});</script>`;
}
function scriptSafeJson(json) {
    return json.replace(/[<>&\u2028\u2029]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
