/**
 * The first hour in a real browser (Debian's Chromium): GraphiQL's walkthrough from the
 * InitiatePayment tab to KS Pay's hosted checkout, back to a page the gateway serves (not a
 * dead host), and on to GraphiQL's VerifyPaymentReturn with the returned values filled in.
 * Screenshots go to test-artifacts/.
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '../support/chromium.js';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { exampleIdsOf } from '../../src/sandbox/fixtures.js';
import { startStack, type Stack } from '../support/stack.js';

const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));
const WAIT_MS = 20_000;

let browser: Browser;
let stack: Stack;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  await Promise.all([
    launchChromium().then((started) => (browser = started)),
    startStack({ overrides: { exampleIds: exampleIdsOf() } }).then((started) => (stack = started)),
  ]);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

let context: BrowserContext;
let page: Page;
/** Uncaught errors, console errors (a 404, a CSP violation) and failed responses, in any page of the test. */
let problems: string[];

beforeEach(async () => {
  context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  context.setDefaultTimeout(WAIT_MS);
  page = await context.newPage();
  problems = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`);
  });
});

afterEach(async () => {
  await context?.close();
});

const artifact = (name: string) => `${ARTIFACTS}${name}`;

async function openTab(name: string): Promise<void> {
  const tab = page.getByRole('tab').filter({ has: page.locator(`button[title="${name}"]`) });
  // The tab bar animates into place as the page starts: click until the tab is the selected one.
  await expect
    .poll(
      async () => {
        await tab.locator('button.graphiql-tab-button').click();
        return tab.getAttribute('aria-selected');
      },
      { timeout: WAIT_MS },
    )
    .toBe('true');
  await page.locator('.graphiql-query-editor').filter({ hasText: name }).waitFor();
}

/** Runs the active tab; returns the gateway's answer as the browser received it. */
async function execute(): Promise<any> {
  const answer = page.waitForResponse((response) => response.url().startsWith(`${stack.url}/graphql`) && response.request().method() === 'POST');
  await page.getByRole('button', { name: /execute query/i }).click();
  return (await answer).json();
}

describe('a developer’s first hour: the GraphiQL walkthrough', () => {
  it('comes back from the hosted checkout to the gateway, and verifies the return from there', async () => {
    await page.goto(`${stack.url}/graphql`, { waitUntil: 'domcontentloaded' });
    await page.getByRole('button', { name: /execute query/i }).waitFor();

    // Step 2 as it is: its redirectUrl is this gateway's return page, which its own check accepts.
    await openTab('InitiatePayment');
    await expect.poll(() => page.locator('.graphiql-editor-tool').innerText()).toContain(`${stack.url}/payment-return`);
    const initiated = await execute();
    const success = initiated.data.initiateTransaction;
    expect(success.__typename).toBe('InitiateTransactionSuccess');

    // Step 3 (the signature pasted: here over HTTP), then the customer on KS Pay's page.
    const processed = await stack.gql(
      'mutation($s: String!) { processTransaction(input: { signature: $s }) { ... on ProcessTransactionSuccess { checkoutUrl } } }',
      { s: success.signature },
    );
    await page.goto(processed.data.processTransaction.checkoutUrl);
    await page.getByRole('button', { name: 'Pay', exact: true }).click();

    // Back on the gateway's own page, which shows what came back.
    await page.waitForURL((url) => url.href.startsWith(`${stack.url}/payment-return?`));
    const back = new URL(page.url());
    const kspayId = back.searchParams.get('kspay_id')!;
    expect(kspayId).toBe(success.transaction.id);
    await page.getByRole('heading', { name: /Back from KS Pay/ }).waitFor();
    const shown = await page.locator('table').innerText();
    expect(shown).toContain('success');
    expect(shown).toContain(kspayId);
    expect(shown).toContain(back.searchParams.get('provider_payment_id')!);
    await page.screenshot({ path: artifact('first-hour-payment-return.png'), fullPage: true });

    // Its link opens GraphiQL's VerifyPaymentReturn with those values, ready to run.
    await page.getByRole('link', { name: 'Verify it in GraphiQL' }).click();
    await page.waitForURL((url) => url.pathname === '/graphql');
    await page.locator('.graphiql-query-editor').filter({ hasText: 'VerifyPaymentReturn' }).waitFor();
    await expect.poll(() => page.locator('.graphiql-editor-tool').innerText()).toContain(kspayId);
    const verified = await execute();
    expect(verified.data.verifyPaymentReturn).toMatchObject({ verified: true, mismatch: false, transaction: { id: kspayId, status: 'SUCCESS' } });
    await page.screenshot({ path: artifact('first-hour-verified.png') });

    // No dead ends on the way: no 404 (a favicon), no CSP violation, no script error.
    expect(problems).toEqual([]);
  }, 90_000);
});

describe('a developer’s first hour: the payment return page', () => {
  it('writes hostile values back as text under a CSP that runs no script', async () => {
    const hostile = '"><script>alert(1)</script><img src=x onerror=alert(2)>';
    const query = new URLSearchParams({ payment_status: hostile, kspay_id: 'tx_</script>', provider_payment_id: "'&" });
    const response = await fetch(`${stack.url}/payment-return?${query}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    expect(response.headers.get('content-security-policy')).not.toMatch(/script-src/);
    const html = await response.text();
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');

    let dialogs = 0;
    page.on('dialog', (dialog) => {
      dialogs += 1;
      void dialog.dismiss();
    });
    await page.goto(`${stack.url}/payment-return?${query}`);
    expect(await page.locator('table').innerText()).toContain(hostile);
    // The link's variables reach GraphiQL's page as data, never as markup.
    await page.getByRole('link', { name: 'Verify it in GraphiQL' }).click();
    await page.locator('.graphiql-query-editor').filter({ hasText: 'VerifyPaymentReturn' }).waitFor();
    await expect.poll(() => page.locator('.graphiql-editor-tool').innerText()).toContain('tx_</script>');
    expect(dialogs).toBe(0);
    expect(problems.filter((p) => p.startsWith('pageerror'))).toEqual([]);
  }, 60_000);

  it('is not served when GraphiQL is off (production mode), nor the favicon', async () => {
    const production = await startStack({
      sharedSandbox: stack.sandbox,
      env: { GATEWAY_API_KEYS: JSON.stringify({ 'first-hour-key-0123456789': ['*'] }), INTROSPECTION: 'false', GRAPHIQL: 'false' },
    });
    try {
      expect((await fetch(`${production.url}/payment-return?kspay_id=tx_1`)).status).toBe(404);
      expect((await fetch(`${production.url}/favicon.ico`)).status).toBe(404);
      expect((await fetch(`${stack.url}/favicon.ico`)).headers.get('content-type')).toBe('image/svg+xml');
    } finally {
      await production.close();
    }
  });
});
