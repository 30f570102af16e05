/**
 * GraphiQL's walkthrough without snags, in a real browser (Debian's Chromium): one click opens
 * a tab's document; the return page's "Verify it in GraphiQL" fills the VerifyPaymentReturn and
 * Transaction tabs with the walkthrough's own transaction and opens no seventh tab, whether or
 * not the browser already holds GraphiQL's tabs; every tab's instructions fit the editor.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '../support/chromium.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { exampleIdsOf } from '../../src/sandbox/fixtures.js';
import { startStack, type Stack } from '../support/stack.js';

const WAIT_MS = 20_000;
const TABS = ['Catalog', 'InitiatePayment', 'ProcessPayment', 'VerifyPaymentReturn', 'Transaction', 'RecentTransactions', 'Reconciliation'];

let browser: Browser;
let stack: Stack;
/** The page the helpers below act on: the shared GraphiQL page, or a test's fresh one. */
let page: Page;
/** A test's own context, for a browser that has never opened GraphiQL; closed after the test. */
let freshContext: BrowserContext | undefined;
/**
 * GraphiQL loaded once, in a browser that then keeps its tabs, shared by the tests that need
 * it open rather than freshly loaded: each load costs Chromium some 4 s of CPU.
 */
let loadedGraphiQL: Page | undefined;

beforeAll(async () => {
  [browser, stack] = await Promise.all([launchChromium(), startStack({ overrides: { exampleIds: exampleIdsOf() } })]);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

afterEach(async () => {
  await freshContext?.close();
  freshContext = undefined;
});

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  context.setDefaultTimeout(WAIT_MS);
  return context.newPage();
}

/** Acts on the shared GraphiQL page, loading it on first use. */
async function useLoadedGraphiQL(): Promise<void> {
  if (!loadedGraphiQL) {
    page = loadedGraphiQL = await newPage();
    await openGraphiQL();
  }
  page = loadedGraphiQL;
}

/** Acts on a page of a browser that has never opened GraphiQL. */
async function useFreshBrowser(): Promise<void> {
  page = await newPage();
  freshContext = page.context();
}

async function openGraphiQL(path = '/graphql'): Promise<void> {
  await page.goto(`${stack.url}${path}`, { waitUntil: 'domcontentloaded' });
  await page.getByRole('button', { name: /execute query/i }).waitFor();
}

const tabNamed = (name: string) => page.getByRole('tab').filter({ has: page.locator(`button[title="${name}"]`) });
const editorText = () => page.locator('.graphiql-query-editor .view-lines').innerText();
const variablesText = () => page.locator('.graphiql-editor-tool').innerText();

/** One click, never a second: then the tab is the selected one and its editor shows its document. */
async function clickOnce(name: string): Promise<void> {
  await tabNamed(name).locator('button.graphiql-tab-button').click();
  await expect.poll(() => tabNamed(name).getAttribute('aria-selected'), { timeout: WAIT_MS }).toBe('true');
  await expect.poll(editorText, { timeout: WAIT_MS }).toMatch(new RegExp(`(query|mutation)\\s+${name}\\b`));
}

async function execute(): Promise<any> {
  const answer = page.waitForResponse((response) => response.url().startsWith(`${stack.url}/graphql`) && response.request().method() === 'POST');
  await page.getByRole('button', { name: /execute query/i }).click();
  return (await answer).json();
}

/** A transaction of the walkthrough's kind, created over HTTP, and the return page KS Pay would send its customer to. */
async function returnPageOfNewTransaction(): Promise<{ id: string; returnPath: string }> {
  const { currencyId, paymentMethodId } = exampleIdsOf();
  const input = {
    currencyId,
    paymentMethodId,
    amount: '12.50',
    referenceNumber: `snag-${Date.now()}-${Math.random()}`,
    redirectUrl: `${stack.url}/payment-return`,
  };
  const { data } = await stack.gql(
    'mutation($input: InitiateTransactionInput!) { initiateTransaction(input: $input) { ... on InitiateTransactionSuccess { transaction { id } } } }',
    { input },
  );
  const id: string = data.initiateTransaction.transaction.id;
  return { id, returnPath: `/payment-return?${new URLSearchParams({ payment_status: 'success', kspay_id: id, provider_payment_id: 'pp_snag' })}` };
}

describe("GraphiQL's tabs", () => {
  // Both on the one loaded page: the first right after it loads.
  it('each open with one click, right after the page loads', async () => {
    await useLoadedGraphiQL();
    for (const name of [...TABS.slice(1), TABS[0]!]) await clickOnce(name);
  }, 60_000);

  it("fit their instructions in the editor's width", async () => {
    await useLoadedGraphiQL();
    for (const name of TABS) {
      await clickOnce(name);
      const overflowing = await page.locator('.graphiql-query-editor').evaluate((editor) => {
        const visibleRight = (editor.querySelector('.scrollbar.vertical') ?? editor.querySelector('.overflow-guard'))!.getBoundingClientRect().left;
        return [...editor.querySelectorAll('.view-line')]
          .filter((line) => line.textContent?.trimStart().startsWith('#'))
          .filter((line) => line.firstElementChild!.getBoundingClientRect().right > visibleRight)
          .map((line) => line.textContent);
      });
      expect(overflowing, name).toEqual([]);
    }
  }, 60_000);
});

describe('"Verify it in GraphiQL" on the return page', () => {
  async function followVerifyLink(returnPath: string): Promise<void> {
    await page.goto(`${stack.url}${returnPath}`);
    await page.getByRole('link', { name: 'Verify it in GraphiQL' }).click();
    await page.waitForURL((url) => url.pathname === '/graphql');
    await page.getByRole('button', { name: /execute query/i }).waitFor();
  }

  async function expectFilledWith(id: string): Promise<void> {
    expect(await page.getByRole('tab').allInnerTexts()).toEqual(TABS);
    await expect.poll(() => tabNamed('VerifyPaymentReturn').getAttribute('aria-selected')).toBe('true');
    await expect.poll(variablesText).toContain(id);
    const verified = await execute();
    expect(verified.data.verifyPaymentReturn.transaction).toMatchObject({ id });

    await clickOnce('Transaction');
    await expect.poll(variablesText).toContain(id);
    const read = await execute();
    expect(read.data.transaction).toMatchObject({ id });
  }

  it('fills the tabs GraphiQL already keeps in this browser, and adds none', async () => {
    await useLoadedGraphiQL(); // GraphiQL stores its tabs in this browser
    await clickOnce('InitiatePayment');
    const { id, returnPath } = await returnPageOfNewTransaction();
    await followVerifyLink(returnPath);
    await expectFilledWith(id);
  }, 60_000);

  it('fills them in a browser that never opened GraphiQL', async () => {
    await useFreshBrowser();
    const { id, returnPath } = await returnPageOfNewTransaction();
    await followVerifyLink(returnPath);
    await expectFilledWith(id);
  }, 60_000);
});
