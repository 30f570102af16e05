/**
 * The Apollo and urql front ends in a real browser (Debian's Chromium, driven by
 * playwright-core), on another origin than the gateway (another port, listed in
 * CORS_ORIGINS), against the gateway in production mode. Each bundle is built here with
 * vite from test/clients/browser/ into a temp dir, and pays a whole payment from the page:
 * the catalog query, the initiate and process mutations, and the subscription that follows
 * it to SUCCESS (Apollo over graphql-ws, urql over SSE). Every step waits on what the page
 * has received, never on time.
 *
 * Chromium is a system package (`npm test` installs it when it can); without it this test
 * fails, on purpose, as test/browser.test.ts does.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSchema, introspectionFromSchema } from 'graphql';
import type { Browser, BrowserContext } from 'playwright-core';
import { launchChromium } from '../support/chromium.js';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pressCheckout } from '../support/graphql-http.js';
import { startStack, type Stack } from '../support/stack.js';
import { FRONT_END_KEY } from '../support/presets.js';
import { paymentInput, possibleTypes, SCHEMA_SDL, typesWithoutId } from './support.js';
import type { PageConfig } from './browser/page.js';
import { FINAL_STATUSES } from './documents.js';

const SOURCES = fileURLToPath(new URL('./browser/', import.meta.url));
const CLIENTS = ['apollo', 'urql'] as const;

let bundles: string;
let pages: { origin: string; close(): Promise<void> };
let stack: Stack;
let browser: Browser;
let context: BrowserContext;
/** What each page is given: filled once the gateway (on its own port) is up. */
let pageConfig: PageConfig;

beforeAll(async () => {
  bundles = mkdtempSync(join(tmpdir(), 'front-end-bundles-'));
  await buildBundles(bundles);
  pages = await servePages(bundles, () => pageConfig);
  stack = await startStack({ preset: 'front-end', env: { CORS_ORIGINS: pages.origin } });
  pageConfig = {
    gatewayUrl: stack.url,
    apiKey: FRONT_END_KEY,
    possibleTypes: possibleTypes(),
    introspection: introspectionFromSchema(buildSchema(SCHEMA_SDL)),
    typesWithoutId: typesWithoutId(),
  };
  browser = await launchChromium();
  context = await browser.newContext();
  context.setDefaultTimeout(15_000);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await pages?.close();
  await stack?.close();
  if (bundles) rmSync(bundles, { recursive: true, force: true });
});

/** Builds one bundle per client, as a front end's production build would. */
async function buildBundles(outDir: string): Promise<void> {
  await build({
    configFile: false,
    root: SOURCES,
    mode: 'production',
    logLevel: 'silent',
    build: {
      outDir,
      emptyOutDir: true,
      minify: false,
      reportCompressedSize: false,
      rolldownOptions: {
        input: Object.fromEntries(CLIENTS.map((client) => [client, join(SOURCES, `${client}.ts`)])),
        output: { entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js' },
      },
    },
  });
}

/** The front ends' own origin: a page per client with its configuration, and the built scripts. */
async function servePages(dir: string, config: () => PageConfig) {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://page').pathname;
    if (path === '/favicon.ico') return void res.writeHead(204).end();
    const client = CLIENTS.find((name) => path === `/${name}.html`);
    if (client) {
      const json = JSON.stringify(config()).replace(/</g, '\\u003c');
      const html = `<!doctype html><meta charset="utf-8"><title>${client}</title>\n<script type="application/json" id="config">${json}</script>\n<script type="module" src="/${client}.js"></script>\n`;
      return void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
    }
    if (!/^\/[\w-]+(\/[\w.-]+)*\.js$/.test(path) || !existsSync(join(dir, path))) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(readFileSync(join(dir, path)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('front ends in the browser, on another origin', () => {
  it.each(CLIENTS)(
    "%s: the catalog, the payment's mutations and its subscription to SUCCESS, from the page",
    async (client) => {
      expect(new URL(pages.origin).origin).not.toBe(new URL(stack.url).origin);
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      page.on('console', (message) => void (message.type() === 'error' && problems.push(`console: ${message.text()}`)));
      page.on('requestfailed', (request) => problems.push(`request failed: ${request.method()} ${request.url()} ${request.failure()?.errorText}`));
      await page.goto(`${pages.origin}/${client}.html`);
      await page.waitForFunction(() => window.frontEnd !== undefined);

      const { currencies } = await page.evaluate(() => window.frontEnd!.catalog());
      const inr = currencies.find((currency: { code: string }) => currency.code === 'INR');
      const input = paymentInput(inr.id, inr.paymentMethods[0].id);
      const { initiateTransaction } = await page.evaluate((variables) => window.frontEnd!.initiate(variables), input);
      expect(initiateTransaction).toMatchObject({
        __typename: 'InitiateTransactionSuccess',
        transaction: { status: 'INITIATED', referenceNumber: input.referenceNumber },
      });
      const { processTransaction } = await page.evaluate((signature) => window.frontEnd!.process(signature), initiateTransaction.signature as string);
      expect(processTransaction).toMatchObject({ __typename: 'ProcessTransactionSuccess', checkoutUrl: expect.stringContaining('/checkout/') });

      const id: string = initiateTransaction.transaction.id;
      await page.evaluate((transactionId) => window.frontEnd!.watch(transactionId), id);
      const arrived = (transactionId: string) =>
        window.frontEnd!.watches[transactionId]!.updates.length > 0 || window.frontEnd!.watches[transactionId]!.errors.length > 0;
      await page.waitForFunction(arrived, id);
      await pressCheckout(processTransaction.checkoutUrl, 'pay');
      await page.waitForFunction(
        ([transactionId, finals]) => {
          const { updates, errors } = window.frontEnd!.watches[transactionId]!;
          return errors.length > 0 || finals.includes(updates.at(-1)?.transactionUpdated.status ?? '');
        },
        [id, FINAL_STATUSES] as const,
      );
      const watch = await page.evaluate((transactionId) => window.frontEnd!.watches[transactionId], id);
      expect(watch!.errors).toEqual([]);
      expect(watch!.updates[0]!.transactionUpdated).toMatchObject({ id, status: 'PROCESSING' });
      expect(watch!.updates.at(-1)!.transactionUpdated.status).toBe('SUCCESS');
      expect(stack.sandbox.transactions.byId(id)?.status).toBe('SUCCESS');
      expect(problems).toEqual([]);
      await page.close();
    },
    60_000,
  );
});
