/** The sandbox's router on its own: where a request goes, without a server. */
import { describe, expect, it } from 'vitest';
import { destinationOf } from '../../src/sandbox/router.js';

describe('destinationOf', () => {
  it('matches an endpoint by method and path, with decoded parameters and the query kept', () => {
    const destination = destinationOf('GET', '/transaction/txnId/tx_%41bc123456/?x=1');
    expect(destination).toMatchObject({ kind: 'api', match: { endpoint: 'transaction', params: { txnId: 'tx_Abc123456' } } });
    expect(destination.kind === 'api' && destination.url.searchParams.get('x')).toBe('1');
  });

  it('tells the list from one transaction and payment methods from the rest', () => {
    expect(destinationOf('GET', '/transaction')).toMatchObject({ match: { endpoint: 'transactions' } });
    expect(destinationOf('GET', '/c_DemoINR001/payment-methods')).toMatchObject({
      match: { endpoint: 'paymentMethods', params: { currencyId: 'c_DemoINR001' } },
    });
    expect(destinationOf('POST', '/auth/generate-token/ap_DemoApp01')).toMatchObject({ match: { endpoint: 'generateToken' } });
  });

  it('has no match for a wrong method or an unknown path', () => {
    expect(destinationOf('GET', '/transaction/initiate')).toMatchObject({ kind: 'api', match: null });
    expect(destinationOf('DELETE', '/currencies')).toMatchObject({ kind: 'api', match: null });
    expect(destinationOf('GET', '/nowhere')).toMatchObject({ kind: 'api', match: null });
  });

  it('sends the control API and the checkout page elsewhere', () => {
    expect(destinationOf('POST', '/__sandbox/faults/')).toEqual({ kind: 'admin', path: '/__sandbox/faults' });
    expect(destinationOf('GET', '/checkout/tx_Abc123456')).toEqual({ kind: 'checkout', txnId: 'tx_Abc123456' });
  });
});
