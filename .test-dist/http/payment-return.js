/**
 * The page GraphiQL's walkthrough sends the customer back to (`redirectUrl`): it shows what
 * KS Pay's redirect carried and links to GraphiQL with its VerifyPaymentReturn and Transaction
 * tabs filled in with those values. Served only with GraphiQL on, and without client auth: it reads nothing but
 * its own query string, writes it back HTML-escaped, and its CSP allows no script at all.
 */
/** A value longer than this is cut on the page (and in the link): it is the customer's URL, not ours. */
const MAX_VALUE_LENGTH = 200;
export const PAGE_HEADERS = {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
};
/** A tiny favicon (a card), so browsers find one on the gateway's pages. */
export const FAVICON_SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect x="1" y="3" width="14" height="10" rx="2" fill="#e10098"/><rect x="1" y="6" width="14" height="2" fill="#fff"/></svg>';
export function readPaymentReturn(query) {
    const value = (name) => query.get(name)?.slice(0, MAX_VALUE_LENGTH) ?? null;
    return { paymentStatus: value('payment_status'), kspayId: value('kspay_id'), providerPaymentId: value('provider_payment_id') };
}
/** GraphiQL with its VerifyPaymentReturn and Transaction tabs filled with these values (src/graphiql.ts). */
function verifyLink(graphqlPath, values) {
    const params = new URLSearchParams();
    for (const [name, value] of [
        ['kspay_id', values.kspayId],
        ['payment_status', values.paymentStatus],
        ['provider_payment_id', values.providerPaymentId],
    ]) {
        if (value !== null)
            params.set(name, value);
    }
    return `${graphqlPath}?${params}`;
}
export function renderPaymentReturn(graphqlPath, values) {
    const row = (name, value) => `<tr><th>${name}</th><td>${value === null ? '<em>missing</em>' : `<code>${escapeHtml(value)}</code>`}</td></tr>`;
    return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Payment return · KS Pay gateway</title>
<link rel="icon" href="/favicon.ico" type="image/svg+xml">
<style>
body { font: 16px/1.5 system-ui, sans-serif; max-width: 42rem; margin: 3rem auto; padding: 0 1rem; color: #1b1f24; }
table { border-collapse: collapse; margin: 1.5rem 0; }
th, td { text-align: left; padding: .4rem 1rem .4rem 0; border-bottom: 1px solid #d8dee4; }
th { font-weight: 600; }
a.button { display: inline-block; background: #e10098; color: #fff; padding: .6rem 1.2rem; border-radius: 6px; text-decoration: none; }
p.note { color: #57606a; font-size: .9rem; }
</style>
</head>
<body>
<h1>Back from KS Pay's checkout</h1>
<p>KS Pay sent the browser back here (the payment's <code>redirectUrl</code>) with:</p>
<table>
${row('payment_status', values.paymentStatus)}
${row('kspay_id', values.kspayId)}
${row('provider_payment_id', values.providerPaymentId)}
</table>
<p><a class="button" id="verify" href="${escapeHtml(verifyLink(graphqlPath, values))}">Verify it in GraphiQL</a></p>
<p class="note">Anyone can type these values into an address bar: never ship an order on them.
Step 4, <strong>VerifyPaymentReturn</strong>, asks KS Pay whether they are true.</p>
</body>
</html>
`;
}
function escapeHtml(text) {
    return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
