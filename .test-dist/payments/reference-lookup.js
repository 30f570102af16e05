import { listPages } from '../kspay/transaction-pages.js';
const WINDOW_BEFORE_MS = 5 * 60_000;
const PAGE_SIZE = 100;
const MAX_PAGES = 20;
export async function findByReference(client, referenceNumber, since) {
    // The upstream refuses dates in the future, and clocks drift: end the window now.
    const fromDate = new Date(since - WINDOW_BEFORE_MS).toISOString();
    const toDate = new Date().toISOString();
    for await (const { items, last } of listPages(client, { fromDate, toDate, pageSize: PAGE_SIZE, maxPages: MAX_PAGES })) {
        const match = items.find((t) => t.referenceNumber === referenceNumber);
        if (match)
            return match;
        if (last)
            return null;
    }
    throw new Error(`reference lookup gave up after ${MAX_PAGES} pages`);
}
