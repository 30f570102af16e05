/**
 * Finding 10: redirectUrl is checked on its raw text and host, and sent to KS Pay in its
 * parsed, normalised form. Every refusal is a VALIDATION error on input.redirectUrl with
 * no upstream call.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { normaliseRedirectUrl, parseRedirectHost } from '../../src/payments/redirect-url.js';
import { newReference } from '../support/references.js';
import { startStack, type Stack } from '../support/stack.js';
import { AS_A } from '../support/presets.js';
import { currencyAndMethod, initiateAs } from '../support/payment-steps.js';

const REFUSED_ANYWHERE: [string, string][] = [
  ['CR LF (header injection)', 'https://shop.example/r\r\nSet-Cookie: session=x'],
  ['a line feed inside the host', 'https://shop.\nexample/r'],
  ['a tab', 'https://shop.example/\tr'],
  ['a leading space', ' https://shop.example/r'],
  ['a trailing space', 'https://shop.example/r '],
  ['a NUL', 'https://shop.example/r\u0000'],
  ['a no-break space', 'https://shop.example/r\u00a0x'],
  ['a line separator', 'https://shop.example/r\u2028'],
  ['a zero-width space', 'https://shop\u200b.example/r'],
  ['a right-to-left override', 'https://shop.example/\u202er'],
  ['a user name and password', 'https://user:pass@shop.example/r'],
  ['a user name that looks like the host', 'https://shop.example@evil.example/r'],
  ['a fragment', 'https://shop.example/r#done'],
  ['an empty fragment', 'https://shop.example/r#'],
  ['http to a public host', 'http://shop.example/r'],
  ['a javascript: URL', 'javascript:alert(1)'],
  ['a data: URL', 'data:text/html,hi'],
  ['a relative URL', '/return'],
  ['2049 characters', `https://shop.example/${'a'.repeat(2049 - 'https://shop.example/'.length)}`],
  ['a URL that grows past 2048 characters when encoded', `https://shop.example/${'é'.repeat(700)}`],
];

describe('a client steering the redirect: redirectUrl over HTTP, with no REDIRECT_HOSTS', () => {
  let stack: Stack;
  let inr: { currencyId: string; paymentMethodId: string };

  beforeAll(async () => {
    stack = await startStack({ preset: 'production' });
    inr = await currencyAndMethod(stack, 'INR');
  });
  afterAll(() => stack.close());
  beforeEach(() => stack.sandbox.calls.reset());

  const initiate = (redirectUrl: string, referenceNumber = newReference('redirect')) =>
    initiateAs(stack, AS_A, { ...inr, amount: '10.00', referenceNumber, redirectUrl });

  it.each(REFUSED_ANYWHERE)('refuses %s as a VALIDATION error on input.redirectUrl, with no upstream call', async (_name, url) => {
    const result = await initiate(url);
    expect(result).toMatchObject({ __typename: 'ValidationError', code: 'VALIDATION', field: 'input.redirectUrl' });
    expect(result.message).toMatch(/^input\.redirectUrl /);
    expect(result.message).not.toMatch(/[\r\n]/);
    expect(stack.sandbox.calls.count('initiate')).toBe(0);
  });

  it('sends the normalised URL to KS Pay and answers with it', async () => {
    const reference = newReference('redirect');
    const result = await initiate('HTTPS://Shop.EXAMPLE:443/a/../r?order=42', reference);
    expect(result.__typename).toBe('InitiateTransactionSuccess');
    expect(result.transaction.redirectUrl).toBe('https://shop.example/r?order=42');
    const [stored] = stack.sandbox.transactions.byReference(stack.sandbox.credentials.appId, reference);
    expect(stored!.redirectUrl).toBe('https://shop.example/r?order=42');
  });

  it('fingerprints the normalised URL: two spellings of one URL are the same payment', async () => {
    const reference = newReference('redirect');
    const first = await initiate('https://shop.example', reference);
    const again = await initiate('https://SHOP.example:443/', reference);
    expect(first.__typename).toBe('InitiateTransactionSuccess');
    expect(again).toEqual(first);
    expect(stack.sandbox.calls.count('initiate')).toBe(1);
  });

  it.each(['http://localhost:5173/return', 'http://127.0.0.1/r', 'http://[::1]:8080/r', 'https://pay.anywhere.example/r'])('accepts %s', async (url) => {
    expect((await initiate(url)).__typename).toBe('InitiateTransactionSuccess');
  });
});

describe('a client steering the redirect: redirectUrl over HTTP, with REDIRECT_HOSTS', () => {
  let stack: Stack;
  let inr: { currencyId: string; paymentMethodId: string };

  beforeAll(async () => {
    stack = await startStack({ preset: 'production', env: { REDIRECT_HOSTS: 'shop.example, Pay.Example:8443,localhost:5173' } });
    inr = await currencyAndMethod(stack, 'INR');
  });
  afterAll(() => stack.close());
  beforeEach(() => stack.sandbox.calls.reset());

  const initiate = (redirectUrl: string) => initiateAs(stack, AS_A, { ...inr, amount: '10.00', referenceNumber: newReference('hosts'), redirectUrl });

  it.each(['https://shop.example/r', 'https://shop.example:443/r', 'https://pay.example:8443/r', 'http://localhost:5173/'])(
    'accepts %s, a listed host',
    async (url) => {
      expect((await initiate(url)).__typename).toBe('InitiateTransactionSuccess');
    },
  );

  it.each([
    ['another host', 'https://evil.example/r'],
    ['a subdomain of a listed host', 'https://www.shop.example/r'],
    ['a listed host on another port', 'https://shop.example:8443/r'],
    ['a host listed with a port, on its default port', 'https://pay.example/r'],
    ['localhost on an unlisted port', 'http://localhost:6000/'],
    ['http to a listed public host', 'http://shop.example/r'],
  ])('refuses %s with no upstream call', async (_name, url) => {
    const result = await initiate(url);
    expect(result).toMatchObject({ __typename: 'ValidationError', code: 'VALIDATION', field: 'input.redirectUrl' });
    expect(stack.sandbox.calls.count('initiate')).toBe(0);
  });
});

describe('a client steering the redirect: the redirect URL normaliser', () => {
  it('returns the parsed form', () => {
    expect(normaliseRedirectUrl('https://shop.example', null)).toEqual({ ok: true, url: 'https://shop.example/' });
    expect(normaliseRedirectUrl('https://bücher.example/ä?q=ü', null)).toEqual({
      ok: true,
      url: 'https://xn--bcher-kva.example/%C3%A4?q=%C3%BC',
    });
    expect(normaliseRedirectUrl('https://shop.example/r?x=1', new Set(['shop.example']))).toEqual({ ok: true, url: 'https://shop.example/r?x=1' });
  });

  it('says what is wrong', () => {
    const problem = (raw: string, hosts: ReadonlySet<string> | null = null) => {
      const checked = normaliseRedirectUrl(raw, hosts);
      return checked.ok ? null : checked.problem;
    };
    expect(problem('https://shop.example/\r\n')).toMatch(/whitespace or control characters/);
    expect(problem('https://u:p@shop.example/')).toMatch(/user name or password/);
    expect(problem('https://shop.example/#x')).toMatch(/fragment/);
    expect(problem('http://shop.example/')).toMatch(/https/);
    expect(problem('ftp://shop.example/')).toMatch(/absolute http\(s\) URL/);
    expect(problem('https://evil.example/', new Set(['shop.example']))).toMatch(/evil\.example.*allowed redirect hosts/);
  });

  it('reads REDIRECT_HOSTS entries in the form a parsed URL gives its host', () => {
    expect(parseRedirectHost('Shop.Example')).toBe('shop.example');
    expect(parseRedirectHost('shop.example:08443')).toBe('shop.example:8443');
    expect(parseRedirectHost('bücher.example')).toBe('xn--bcher-kva.example');
    expect(parseRedirectHost('[::1]:5173')).toBe('[::1]:5173');
    for (const bad of ['https://shop.example', 'shop.example/r', 'user@shop.example', 'shop.example:0', 'shop.example:70000', 'shop example', '']) {
      expect(parseRedirectHost(bad)).toBeNull();
    }
  });

  it('stops start-up on a bad REDIRECT_HOSTS, naming it', () => {
    expect(() => loadConfig({ REDIRECT_HOSTS: 'https://shop.example' })).toThrow(ConfigError);
    expect(() => loadConfig({ REDIRECT_HOSTS: 'shop.example,bad/host' })).toThrow(/^REDIRECT_HOSTS: "bad\/host"/);
    expect(loadConfig({ REDIRECT_HOSTS: 'shop.example, pay.example:8443' }).payments.redirectHosts).toEqual(new Set(['shop.example', 'pay.example:8443']));
    expect(loadConfig({}).payments.redirectHosts).toBeNull();
  });
});
