/**
 * Finds a transaction by the merchant's referenceNumber. KS Pay has no such filter, so
 * this scans the newest-first list within a window around the attempt. It is only used
 * to settle an initiate whose answer was lost, where the window is minutes wide.
 */
import type { KsPayClient } from '../kspay/client.js';
import type { Transaction } from '../kspay/models.js';
import { listPages } from '../kspay/transaction-pages.js';

const WINDOW_BEFORE_MS = 5 * 60_000;
const PAGE_SIZE = 100;
const MAX_PAGES = 20;

export async function findByReference(client: KsPayClient, referenceNumber: string, since: number): Promise<Transaction | null> {
  // The upstream refuses dates in the future, and clocks drift: end the window now.
  const fromDate = new Date(since - WINDOW_BEFORE_MS).toISOString();
  const toDate = new Date().toISOString();
  for await (const { items, last } of listPages(client, { fromDate, toDate, pageSize: PAGE_SIZE, maxPages: MAX_PAGES })) {
    const match = items.find((t) => t.referenceNumber === referenceNumber);
    if (match) return match;
    if (last) return null;
  }
  throw new Error(`reference lookup gave up after ${MAX_PAGES} pages`);
}
