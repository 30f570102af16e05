/**
 * The hosted checkout page (sandbox only): where a customer pays or declines a
 * processed transaction and is sent back to the merchant's redirectUrl. Plain HTML
 * with inline CSS; works without JavaScript. Not an API endpoint: no token, no counting.
 */
import { isWellFormedId } from '../kspay/types.js';
import { IllegalTransition } from './transaction-log.js';
/** Sent with every checkout page: nothing external may load, forms may post back or redirect out. */
export const CHECKOUT_HEADERS = {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self' http: https:; base-uri 'none'; frame-ancestors 'none'",
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
};
/** GET /checkout/{txnId} */
export function checkoutPage(store, txnId) {
    const transaction = find(store, txnId);
    if (!transaction)
        return notFound();
    if (transaction.status === 'INITIATED')
        return notReady(store, transaction, 200);
    if (transaction.status !== 'PROCESSING')
        return settled(store, transaction, 200);
    const form = `
    <form method="post" action="/checkout/${encodeURIComponent(transaction.id)}">
      <button type="submit" name="action" value="pay" class="pay">Pay</button>
      <button type="submit" name="action" value="decline" class="decline">Decline</button>
    </form>`;
    return page(200, 'Checkout', summary(store, transaction) + form);
}
/** POST /checkout/{txnId} with `action=pay|decline`: settles it and sends the customer back. */
export function checkoutAction(store, txnId, form) {
    const transaction = find(store, txnId);
    if (!transaction)
        return notFound();
    const action = form.get('action');
    if (action !== 'pay' && action !== 'decline') {
        return page(400, 'Bad request', notice('Choose Pay or Decline.'));
    }
    let result;
    try {
        result = store.transition(transaction.id, action === 'pay' ? 'SUCCESS' : 'FAILED');
    }
    catch (error) {
        if (!(error instanceof IllegalTransition))
            throw error;
        // Only a PROCESSING transaction can be paid or declined.
        if (transaction.status === 'INITIATED')
            return notReady(store, transaction, 409);
        return settled(store, transaction, 409);
    }
    return { status: 303, location: returnUrl(result) };
}
/** redirectUrl with the result appended; the merchant's own query parameters stay. */
export function returnUrl(transaction) {
    const url = new URL(transaction.redirectUrl);
    url.searchParams.set('payment_status', transaction.status === 'SUCCESS' ? 'success' : 'failed');
    url.searchParams.set('kspay_id', transaction.id);
    url.searchParams.set('provider_payment_id', transaction.providerPaymentId ?? '');
    return url.href;
}
function find(store, txnId) {
    return isWellFormedId('transaction', txnId) ? store.transactionById(txnId) : undefined;
}
function notReady(store, transaction, status) {
    const text = 'This transaction is not ready: process the transaction first.';
    return page(status, 'Not ready', summary(store, transaction) + notice(text));
}
function settled(store, transaction, status) {
    const word = transaction.status === 'SUCCESS' ? 'paid' : 'declined';
    const back = `<p><a href="${escapeHtml(returnUrl(transaction))}">Return to the merchant</a></p>`;
    const text = `This payment was ${word} (${transaction.status}).`;
    return page(status, `Payment ${word}`, summary(store, transaction) + notice(text) + back);
}
function notFound() {
    return page(404, 'Not found', notice('No transaction with this id.'));
}
function summary(store, transaction) {
    const merchant = store.app(transaction.appId)?.name ?? transaction.appId;
    const symbol = store.currency(transaction.appId, transaction.currencyId)?.symbol;
    const amount = `${symbol ? `${symbol} ` : ''}${transaction.amount} ${transaction.currencyCode}`;
    const rows = [
        ['Merchant', merchant],
        ['Amount', amount],
        ['Reference', transaction.referenceNumber],
        ['Transaction', transaction.id],
    ];
    const items = rows.map(([term, value]) => `<dt>${escapeHtml(term)}</dt><dd>${escapeHtml(value)}</dd>`).join('');
    return `<dl>${items}</dl>`;
}
function notice(text) {
    return `<p class="notice" role="status">${escapeHtml(text)}</p>`;
}
function page(status, title, content) {
    const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · KS Pay sandbox</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; background: #f4f5f7; color: #1d2330; margin: 0; }
  main { max-width: 26rem; margin: 3rem auto; background: #fff; border-radius: 12px; padding: 2rem;
         box-shadow: 0 2px 12px rgb(0 0 0 / 0.08); }
  .badge { display: inline-block; font-size: .75rem; letter-spacing: .05em; text-transform: uppercase;
           background: #fff3cd; color: #5c4400; padding: .15rem .5rem; border-radius: 4px; }
  h1 { font-size: 1.4rem; margin: .5rem 0 1.25rem; }
  dl { display: grid; grid-template-columns: auto 1fr; gap: .4rem 1rem; margin: 0 0 1.5rem; }
  dt { color: #5a6275; } dd { margin: 0; font-weight: 600; overflow-wrap: anywhere; }
  form { display: flex; gap: .75rem; }
  button { flex: 1; font: inherit; font-weight: 600; padding: .75rem; border-radius: 8px; cursor: pointer; }
  button:focus-visible, a:focus-visible { outline: 3px solid #1a56db; outline-offset: 2px; }
  .pay { background: #1a56db; color: #fff; border: 0; }
  .decline { background: #fff; color: #9b1c1c; border: 2px solid #9b1c1c; }
  .notice { background: #eef2ff; padding: .75rem 1rem; border-radius: 8px; }
  a { color: #1a56db; }
</style>
</head>
<body>
<main>
<span class="badge">KS Pay sandbox</span>
<h1>${escapeHtml(title)}</h1>
${content}
</main>
</body>
</html>
`;
    return { status, html };
}
const HTML_ENTITIES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export function escapeHtml(text) {
    return text.replace(/[&<>"']/g, (c) => HTML_ENTITIES[c]);
}
