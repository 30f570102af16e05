/**
 * Real-browser tests in Debian's Chromium, driven by playwright-core: GraphiQL runs the
 * example Catalog query, and the example checkout app (examples/web) pays and declines
 * through the sandbox's hosted checkout page, back to a verified result. Screenshots of
 * the final pages go to test-artifacts/.
 *
 * Chromium is a system package (`npm test` installs it when it can). Without it these
 * tests fail, on purpose: a browser test that silently skips proves nothing.
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '../support/chromium.js';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startExample, type RunningExample } from '../../examples/web/server.js';
import { startStack, type Stack } from '../support/stack.js';

const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));
const WAIT_MS = 15_000;

let browser: Browser;
let example: RunningExample;
let stack: Stack;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  // In parallel; each is assigned as soon as it is up, so afterAll closes whatever started.
  await Promise.all([
    launchChromium().then((started) => (browser = started)),
    startExample({ port: 0, logLevel: 'silent', viteLogLevel: 'silent', watch: false }).then((started) => (example = started)),
    startStack().then((started) => (stack = started)),
  ]);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await example?.close();
  await stack?.close();
});

let context: BrowserContext;
let page: Page;
/** Uncaught errors in any page of the test: there must be none. */
let pageErrors: string[];

beforeEach(async () => {
  context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  context.setDefaultTimeout(WAIT_MS);
  page = await context.newPage();
  pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
});

afterEach(async () => {
  await context?.close();
});

function artifact(name: string): string {
  return `${ARTIFACTS}${name}`;
}

describe('GraphiQL', () => {
  it('loads at /graphql and runs the example Catalog query', async () => {
    await page.goto(`${stack.url}/graphql`, { waitUntil: 'domcontentloaded' });
    const execute = page.getByRole('button', { name: /execute query/i });
    await execute.waitFor();
    // The first default tab holds examples/catalog.graphql.
    await page.locator('.graphiql-query-editor').filter({ hasText: 'Catalog' }).waitFor();
    await execute.click();

    const response = page.locator('.graphiql-response');
    await response.filter({ hasText: '"INR"' }).waitFor();
    const text = await response.innerText();
    expect(text).toContain('"currencies"');
    expect(text).not.toContain('"errors"');
    await page.screenshot({ path: artifact('graphiql-catalog.png') });
    expect(pageErrors).toEqual([]);
  }, 60_000);
});

interface Checkout {
  currency: string;
  method: string;
  amount: string;
  action: 'Pay' | 'Decline';
  /** Save screenshots of the filled form and the hosted checkout page under this prefix. */
  screenshots?: string;
}

/** The customer's whole visit: the app's form, KS Pay's hosted page, and back. */
async function checkOut({ currency, method, amount, action, screenshots }: Checkout): Promise<URL> {
  await page.goto(example.url);
  const currencySelect = page.getByLabel('Currency', { exact: true });
  await currencySelect.waitFor();
  await currencySelect.selectOption({ label: currency });
  await page.getByRole('radio', { name: method, exact: true }).check();
  await page.getByLabel('Amount', { exact: true }).fill(amount);
  const pay = page.getByRole('button', { name: /^Pay\b/ });
  expect(await pay.innerText()).toContain(amount);
  if (screenshots) await page.screenshot({ path: artifact(`${screenshots}-form.png`), fullPage: true });
  await pay.click();

  // KS Pay's hosted checkout page, on the sandbox's origin.
  await page.waitForURL((url) => url.href.startsWith(`${example.sandboxUrl}/checkout/`));
  await page.getByRole('heading', { name: 'Checkout' }).waitFor();
  expect(await page.locator('dl').innerText()).toContain(amount);
  if (screenshots) await page.screenshot({ path: artifact(`${screenshots}-hosted-checkout.png`), fullPage: true });
  await page.getByRole('button', { name: action, exact: true }).click();

  // Back on the app, at its own address with the result in the query string.
  await page.waitForURL((url) => url.href.startsWith(example.url) && url.searchParams.has('kspay_id'));
  return new URL(page.url());
}

function storedTransaction(id: string) {
  const found = example.sandbox.transactions.byId(id);
  expect(found, `the sandbox has transaction ${id}`).toBeTruthy();
  return found!;
}

describe('the example checkout app', () => {
  it('lists the currencies and their payment methods', async () => {
    await page.goto(example.url);
    const currency = page.getByLabel('Currency', { exact: true });
    await page.getByRole('status').filter({ hasText: 'Choose a currency' }).waitFor();
    const options = await currency.locator('option').allInnerTexts();
    expect(options).toEqual(['INR — Rupees', 'USD — US Dollar', 'EUR — Euro', 'USDT — Tether']);
    const methods = page.getByRole('group', { name: 'Payment method' }).getByRole('radio');
    expect(await methods.count()).toBe(4);
    // The inactive method is listed but cannot be chosen.
    expect(await page.getByRole('radio', { name: /CREDIT CARD/ }).isDisabled()).toBe(true);
    await currency.selectOption({ label: 'EUR — Euro' });
    await page.getByRole('radio', { name: 'SEPA', exact: true }).waitFor();
    expect(await page.getByRole('radio', { name: 'SEPA', exact: true }).isChecked()).toBe(true);
    expect(pageErrors).toEqual([]);
  });

  it('pays end to end: form → hosted checkout → Pay → verified SUCCESS', async () => {
    const back = await checkOut({ currency: 'INR — Rupees', method: 'UPI', amount: '345.67', action: 'Pay', screenshots: 'example-payment' });
    expect(back.searchParams.get('payment_status')).toBe('success');

    const status = page.getByRole('status');
    await status.filter({ hasText: 'verified with KS Pay: SUCCESS' }).waitFor();
    await page.getByRole('heading', { name: 'Payment successful' }).waitFor();
    const details = await page.locator('#result-details').innerText();
    expect(details).toContain('345.67 INR');
    expect(details).toMatch(/Verified\s+Yes/);
    await page.screenshot({ path: artifact('example-payment-success.png'), fullPage: true });

    const stored = storedTransaction(back.searchParams.get('kspay_id')!);
    expect(stored).toMatchObject({ status: 'SUCCESS', amount: '345.67', currencyCode: 'INR', redirectUrl: example.url });
    expect(stored.referenceNumber).toMatch(/^web-[0-9a-f-]{36}$/);
    expect(stored.providerPaymentId).toBe(back.searchParams.get('provider_payment_id'));
    expect(pageErrors).toEqual([]);
  }, 60_000);

  it('declines end to end: hosted checkout → Decline → verified FAILED', async () => {
    const back = await checkOut({ currency: 'USD — US Dollar', method: 'DEBIT CARD', amount: '10.5', action: 'Decline' });
    expect(back.searchParams.get('payment_status')).toBe('failed');

    await page.getByRole('status').filter({ hasText: 'verified with KS Pay: FAILED' }).waitFor();
    await page.getByRole('heading', { name: 'Payment declined' }).waitFor();
    // Shown with the currency's two decimal places, as KS Pay's 10.5 is 10.50 dollars.
    expect(await page.locator('#result-details').innerText()).toContain('10.50 USD');
    await page.screenshot({ path: artifact('example-payment-declined.png'), fullPage: true });

    const stored = storedTransaction(back.searchParams.get('kspay_id')!);
    expect(stored.status).toBe('FAILED');
    expect(pageErrors).toEqual([]);
  }, 60_000);

  it('gives every payment a fresh referenceNumber', async () => {
    const refs = new Set<string>();
    for (const amount of ['1.5', '2.25']) {
      const back = await checkOut({ currency: 'EUR — Euro', method: 'SEPA', amount, action: 'Pay' });
      await page.getByRole('status').filter({ hasText: 'SUCCESS' }).waitFor();
      refs.add(storedTransaction(back.searchParams.get('kspay_id')!).referenceNumber);
    }
    expect(refs.size).toBe(2);
  }, 60_000);

  it('does not trust a forged return: a claimed success for a declined payment is not verified', async () => {
    const back = await checkOut({ currency: 'INR — Rupees', method: 'NET BANKING', amount: '99', action: 'Decline' });
    await page.getByRole('status').filter({ hasText: 'FAILED' }).waitFor();
    back.searchParams.set('payment_status', 'success');
    await page.goto(back.href);
    await page.getByRole('status').filter({ hasText: 'Not verified' }).waitFor();
    expect(await page.getByRole('status').innerText()).toMatch(/claimed “success” but KS Pay reports FAILED/);
    await page.getByRole('heading', { name: 'Payment not confirmed' }).waitFor();
  }, 60_000);

  it('refuses an amount with too many decimal places before calling the gateway', async () => {
    await page.goto(example.url);
    await page.getByRole('status').filter({ hasText: 'Choose a currency' }).waitFor();
    let mutations = 0;
    page.on('request', (request) => {
      if (request.url().endsWith('/graphql') && request.postData()?.includes('mutation')) mutations += 1;
    });
    await page.getByLabel('Amount', { exact: true }).fill('1.234');
    await page.getByRole('button', { name: /^Pay\b/ }).click();
    await page.getByRole('status').filter({ hasText: 'At most 2 decimal places' }).waitFor();
    await page.screenshot({ path: artifact('example-amount-error.png'), fullPage: true });
    expect(await page.getByLabel('Amount', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect(page.url()).toBe(example.url);
    expect(mutations).toBe(0);
  });
});
