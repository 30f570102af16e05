/**
 * KS Pay's transaction list for a date window, page by page, newest first: the one walk that
 * the reference look-up, the look-up index after a data loss and the webhook sweep share.
 */
import type { KsPayClient } from './client.js';
import type { Transaction } from './models.js';

export interface ListWindow {
  fromDate: string;
  toDate: string;
  pageSize: number;
  maxPages: number;
}

/** One page, and whether it is the window's last: a caller that saw no last page stopped at maxPages. */
export interface ListPage {
  items: Transaction[];
  last: boolean;
  /** The window's size as KS Pay reports it on this page; null when it does not say. */
  total: number | null;
}

export async function* listPages(client: Pick<KsPayClient, 'transactions'>, { fromDate, toDate, pageSize, maxPages }: ListWindow): AsyncGenerator<ListPage> {
  for (let page = 1; page <= maxPages; page++) {
    const list = await client.transactions({ page, limit: pageSize, fromDate, toDate });
    // A bare array is everything; a short page, or one that reaches the total, is the last one.
    const last = list.page === null || list.items.length < pageSize || (list.total !== null && list.total <= page * pageSize);
    yield { items: list.items, last, total: list.total };
    if (last) return;
  }
}
