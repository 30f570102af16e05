/** The sandbox's hosted checkout page: pay, decline, redirects and the state machine. */
import { describe, expect, it } from 'vitest';
import { DEMO_APP } from '../../src/sandbox/fixtures.js';
import { sandbox, token, call, bearer, initiate, processed, useSandbox } from '../support/sandbox-support.js';

useSandbox();

describe('hosted checkout', () => {
  const form = (txnId: string, action: string) =>
    call(`/checkout/${txnId}`, {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ action }).toString(),
    });

  it('shows merchant, amount, reference and a Pay/Decline form, HTML-escaped', async () => {
    const { txnId } = await processed(token(), { referenceNumber: '<script>alert("x")</script>', amount: 1234.5 });
    const page = await call(`/checkout/${txnId}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html: string = page.body;
    expect(html).toContain('<html lang="en">');
    expect(html).toContain(DEMO_APP.name);
    expect(html).toContain('Rs 1234.5 INR');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(html).not.toContain('<script');
    expect(html).toContain(`<form method="post" action="/checkout/${txnId}">`);
    expect(html).toMatch(/<button type="submit" name="action" value="pay"[^>]*>Pay<\/button>/);
    expect(html).toMatch(/<button type="submit" name="action" value="decline"[^>]*>Decline<\/button>/);
  });

  it('pays: SUCCESS with a provider payment id, then 303 back with the result appended', async () => {
    const { txnId } = await processed(token());
    const answer = await form(txnId, 'pay');
    expect(answer.status).toBe(303);
    const location = new URL(answer.headers.get('location')!);
    const stored = sandbox().transactions.byId(txnId)!;
    expect(stored.status).toBe('SUCCESS');
    expect(stored.providerPaymentId).toMatch(/^pay_[A-Za-z0-9]{14}$/);
    expect(location.origin + location.pathname).toBe('https://merchant.example/return');
    expect(Object.fromEntries(location.searchParams)).toEqual({
      order: '42',
      payment_status: 'success',
      kspay_id: txnId,
      provider_payment_id: stored.providerPaymentId,
    });
    const lookup = await call(`/transaction/txnId/${txnId}`, { headers: bearer(token()) });
    expect(lookup.body.result).toMatchObject({ status: 'SUCCESS', providerPaymentId: stored.providerPaymentId });
  });

  it('declines: FAILED, still with a provider payment id', async () => {
    const { txnId } = await processed(token());
    const answer = await form(txnId, 'decline');
    expect(answer.status).toBe(303);
    const params = new URL(answer.headers.get('location')!).searchParams;
    const stored = sandbox().transactions.byId(txnId)!;
    expect(stored.status).toBe('FAILED');
    expect(params.get('payment_status')).toBe('failed');
    expect(params.get('provider_payment_id')).toBe(stored.providerPaymentId);
  });

  it('refuses to settle an INITIATED or already settled transaction', async () => {
    const started = await initiate(token());
    const initiated = started.body.result.pe_txnId;
    expect((await call(`/checkout/${initiated}`)).body).toContain('process the transaction first');
    expect((await form(initiated, 'pay')).status).toBe(409);
    expect(sandbox().transactions.byId(initiated)!.status).toBe('INITIATED');

    const { txnId } = await processed(token());
    await form(txnId, 'pay');
    const paymentId = sandbox().transactions.byId(txnId)!.providerPaymentId;
    expect((await form(txnId, 'decline')).status).toBe(409);
    expect(sandbox().transactions.byId(txnId)).toMatchObject({ status: 'SUCCESS', providerPaymentId: paymentId });
    const page = await call(`/checkout/${txnId}`);
    expect(page.body).toContain('SUCCESS');
    expect(page.body).toContain('href="https://merchant.example/return?order=42&amp;payment_status=success');
    expect(page.body).not.toContain('<form');
  });

  it('answers 404 HTML for unknown ids and 400 for an unknown action; never counts', async () => {
    sandbox().calls.reset();
    const missing = await call('/checkout/tx_Unknown12');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toMatch(/^text\/html/);
    const { txnId } = await processed(token());
    sandbox().calls.reset();
    expect((await form(txnId, 'refund')).status).toBe(400);
    expect(sandbox().calls.count()).toBe(0);
  });
});
