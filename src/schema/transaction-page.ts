/**
 * Relay forward pagination over KS Pay's page/limit list. A cursor is an opaque
 * offset into the newest-first list. A page aligned to `first` costs one upstream
 * call; an unaligned one costs two; an upstream that ignores paging and returns
 * everything is sliced here.
 */
import { ValidationError } from '../errors/gateway-errors.js';
import type { Context } from '../context.js';
import type { Transaction, TransactionListArgs } from '../kspay/models.js';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;
const MAX_RANGE_MS = 90 * 24 * 3_600_000;
const CURSOR_PREFIX = 'txoffset:';

interface PageArgs {
  first?: number | null;
  after?: string | null;
  from?: Date | null;
  to?: Date | null;
}

export interface TransactionConnectionShape {
  edges: { cursor: string; node: Transaction }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  totalCount: number | null;
}

export const encodeCursor = (offset: number) => Buffer.from(`${CURSOR_PREFIX}${offset}`).toString('base64url');

function decodeCursor(cursor: string): number {
  const text = Buffer.from(cursor, 'base64url').toString();
  const offset = Number(text.slice(CURSOR_PREFIX.length));
  if (!text.startsWith(CURSOR_PREFIX) || !Number.isSafeInteger(offset) || offset < 0) {
    throw new ValidationError('after', 'after must be a cursor returned by this connection');
  }
  return offset;
}

function dateFilter(from: Date | null | undefined, to: Date | null | undefined): Pick<TransactionListArgs, 'fromDate' | 'toDate'> {
  if (!from && !to) return {};
  if (!from) throw new ValidationError('from', 'from is required when to is given');
  const now = Date.now();
  const end = to ?? new Date(now);
  if (from.getTime() > now) throw new ValidationError('from', 'from may not be in the future');
  if (end.getTime() > now) throw new ValidationError('to', 'to may not be in the future');
  if (from.getTime() > end.getTime()) throw new ValidationError('from', 'from must not be after to');
  if (end.getTime() - from.getTime() > MAX_RANGE_MS) throw new ValidationError('to', 'the range from–to may not exceed 90 days');
  return { fromDate: from.toISOString(), toDate: end.toISOString() };
}

export async function pageOfTransactions(args: PageArgs, { loaders }: Context): Promise<TransactionConnectionShape> {
  const first = args.first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw new ValidationError('first', `first must be between 1 and ${MAX_PAGE_SIZE}`);
  }
  const offset = args.after ? decodeCursor(args.after) + 1 : 0;
  const filter = dateFilter(args.from, args.to);

  // Pages of size `first` that together cover [offset, offset + first).
  const firstPage = Math.floor(offset / first) + 1;
  const pageNumbers = offset % first === 0 ? [firstPage] : [firstPage, firstPage + 1];
  const pages = await Promise.all(pageNumbers.map((page) => loaders.transactionPage.load({ ...filter, page, limit: first })));

  let items: Transaction[];
  let total: number | null;
  if (pages[0].page === null) {
    // A bare array: the server sent every matching transaction.
    items = pages[0].items.slice(offset, offset + first + 1);
    total = pages[0].items.length;
  } else {
    const skip = offset - (firstPage - 1) * first;
    items = pages.flatMap((p) => p.items).slice(skip, skip + first);
    total = pages[0].total;
  }
  const hasNextPage = total !== null ? offset + Math.min(first, items.length) < total : items.length > first;
  const nodes = items.slice(0, first);

  return {
    edges: nodes.map((node, index) => ({ cursor: encodeCursor(offset + index), node })),
    pageInfo: {
      hasNextPage,
      hasPreviousPage: offset > 0,
      startCursor: nodes.length ? encodeCursor(offset) : null,
      endCursor: nodes.length ? encodeCursor(offset + nodes.length - 1) : null,
    },
    totalCount: total,
  };
}
