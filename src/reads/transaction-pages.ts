/**
 * One page of the `transactions` connection: keyset paging over KS Pay's offset-paged,
 * newest-first list (docs/kspay-api.md, "transactions"), so that a cursor holds still
 * while transactions arrive.
 *
 * A cursor names its row by id and createdAt, with the position and total it was seen at
 * as a hint (./transaction-cursor.ts). The next page asks for the upstream page holding
 * the hinted position and the rows after it, finds the row there by id and continues right
 * after it. When the row is not where the hint says, the growth of `total` since then says
 * how far new rows pushed it down, and one corrected fetch finds it; failing that, createdAt
 * decides whether to look further down or up. A page costs at most MAX_CALLS_PER_PAGE
 * upstream calls. The guarantees, exactly (README, "The schema in brief"):
 *
 * - the row found: the page holds exactly the rows that follow it in the list now;
 * - the row gone: the page starts at the first row strictly older than its createdAt;
 *   only rows created in the same millisecond as the vanished row can be left out;
 * - neither established within the calls allowed (or the row gone and its createdAt
 *   unknown): CursorLost, never a guess.
 *
 * A bare-array answer is the complete list: the row is looked up in it, in one call.
 */
import type { Transaction, TransactionList, TransactionListArgs } from '../kspay/models.js';
import type { CursorKey } from './transaction-cursor.js';

/** Upstream calls one page may cost. */
export const MAX_CALLS_PER_PAGE = 3;
/** The largest `limit` the gateway asks for: the documented server's cap. */
export const MAX_UPSTREAM_LIMIT = 100;

export type ListFilter = Pick<TransactionListArgs, 'fromDate' | 'toDate'>;
export type LoadList = (args: TransactionListArgs) => Promise<TransactionList>;

export interface PageRequest {
  first: number;
  /** The row the page follows; null for the first page. */
  after: CursorKey | null;
  filter: ListFilter;
}

export interface PageRow {
  transaction: Transaction;
  /** What this row's cursor holds. */
  key: CursorKey;
}

export interface TransactionPage {
  rows: PageRow[];
  hasNextPage: boolean;
  /** The list's total at the last call, when the upstream says. */
  total: number | null;
}

/** The cursor's row, and the place it had, could not be found within MAX_CALLS_PER_PAGE calls. */
export class CursorLost extends Error {
  constructor() {
    super("the cursor's transaction could not be found in the list");
    this.name = 'CursorLost';
  }
}

/** One upstream answer, placed in the list. */
interface Slice {
  items: Transaction[];
  /** The position of items[0]. */
  start: number;
  total: number | null;
  /** Nothing follows these items. */
  isLast: boolean;
  /** A bare array: the whole list. */
  complete: boolean;
}

/** The row to continue after (null: before the row at `position`), and where to look for it. */
interface Anchor {
  key: CursorKey | null;
  position: number;
  total: number | null;
  /** The position is already corrected for the list's growth. */
  corrected: boolean;
  /** Searching by createdAt: look at as many rows as one call brings. */
  wide: boolean;
}

/** What an upstream answer says about the anchor. */
type Step = { kind: 'continue'; from: number } | { kind: 'look'; position: number; corrected?: boolean; wide?: boolean } | { kind: 'end' } | { kind: 'lost' };

export async function readTransactionPage({ first, after, filter }: PageRequest, load: LoadList): Promise<TransactionPage> {
  const rows: PageRow[] = [];
  const taken = new Set<string>(after ? [after.id] : []);
  let anchor: Anchor = after ? anchorAt(after) : TOP;
  let located = after === null;
  let maxLimit = MAX_UPSTREAM_LIMIT;
  let total: number | null = null;

  for (let call = 0; call < MAX_CALLS_PER_PAGE; call++) {
    const need = first - rows.length;
    // The anchor's own row too, to find it there; before the newest row there is none.
    const span = anchor.wide ? maxLimit : need + (anchor.key ? 1 : 0);
    const asked = pageCovering(anchor.position, anchor.position + span - 1, maxLimit);
    const list = await load({ ...filter, ...asked });
    // A server that caps the limit below what was asked says so; the next windows fit its cap.
    if (list.limit !== null && list.limit > 0 && list.limit < asked.limit) maxLimit = list.limit;
    const slice = place(list, asked);
    total = slice.total;
    const step = locate(anchor, slice, maxLimit);
    if (step.kind === 'lost') break;
    if (step.kind === 'end') return { rows, hasNextPage: false, total };
    if (step.kind === 'look') {
      anchor = { ...anchor, position: step.position, total: slice.total, corrected: anchor.corrected || step.corrected === true, wide: step.wide === true };
      continue;
    }
    located = true;
    let index = step.from;
    for (; index < slice.items.length && rows.length < first; index++) {
      const transaction = slice.items[index]!;
      if (taken.has(transaction.id)) continue;
      taken.add(transaction.id);
      rows.push({ transaction, key: keyOf(transaction, slice.start + index, slice.total) });
    }
    const more = index < slice.items.length || !slice.isLast;
    if (rows.length === first || !more) return { rows, hasNextPage: more, total };
    // Filling the page: continue after the last row looked at, found again like a cursor's.
    if (index > 0) anchor = anchorAt(keyOf(slice.items[index - 1]!, slice.start + index - 1, slice.total));
  }
  if (!located) throw new CursorLost();
  // Out of calls with the page part-filled: what was found is exact; the rest comes on the next page.
  return { rows, hasNextPage: true, total };
}

function anchorAt(key: CursorKey): Anchor {
  return { key, position: key.position, total: key.total, corrected: false, wide: false };
}

const TOP: Anchor = { key: null, position: 0, total: null, corrected: false, wide: false };

/**
 * The upstream page (page, limit) holding positions [from, to]: the smallest limit up to
 * `maxLimit` for which one page holds them all; when none does, the page holding
 * `from` that reaches furthest (the rest is fetched after it).
 */
export function pageCovering(from: number, to: number, maxLimit = MAX_UPSTREAM_LIMIT): { page: number; limit: number } {
  let best = { page: 1, limit: 1, end: -1 };
  for (let limit = 1; limit <= maxLimit; limit++) {
    const index = Math.floor(from / limit);
    const end = (index + 1) * limit - 1;
    if (end >= to && limit >= to - from + 1) return { page: index + 1, limit };
    if (end > best.end) best = { page: index + 1, limit, end };
  }
  return { page: best.page, limit: best.limit };
}

/** Where an answer's items sit in the list, by the page and limit it reports (a server may cap the limit). */
function place(list: TransactionList, asked: { page: number; limit: number }): Slice {
  if (list.page === null) {
    return { items: list.items, start: 0, total: list.items.length, isLast: true, complete: true };
  }
  const limit = list.limit ?? asked.limit;
  const start = (list.page - 1) * limit;
  const isLast = list.total !== null ? start + list.items.length >= list.total : list.items.length < limit;
  return { items: list.items, start, total: list.total, isLast, complete: false };
}

function locate(anchor: Anchor, slice: Slice, reach: number): Step {
  if (!anchor.key) {
    // The first page: from the newest row on.
    const from = anchor.position - slice.start;
    return from >= 0 && from <= slice.items.length ? { kind: 'continue', from } : { kind: 'lost' };
  }
  const index = slice.items.findIndex((t) => t.id === anchor.key!.id);
  if (index >= 0) return { kind: 'continue', from: index + 1 };
  if (!slice.complete && !anchor.corrected && anchor.total !== null && slice.total !== null && slice.total !== anchor.total) {
    // New rows pushed it down by the growth of the list (or vanished rows pulled it up).
    const position = Math.max(0, anchor.position + slice.total - anchor.total);
    if (position < slice.start || position >= slice.start + slice.items.length) return { kind: 'look', position, corrected: true };
  }
  return byCreatedAt(anchor.key.createdAtMs, slice, reach);
}

/**
 * The row is not in this answer. Rows strictly older than its createdAt follow it, rows
 * newer precede it: the first older row after a newer one (or at the very top) is where
 * the page resumes. An answer of only newer rows says look further down; only older, up,
 * `reach` rows at a time (what one call brings).
 */
function byCreatedAt(createdAtMs: number | null, slice: Slice, reach: number): Step {
  if (createdAtMs === null) return { kind: 'lost' };
  const times = slice.items.map(createdAtOf);
  const older = times.findIndex((t) => t !== null && t < createdAtMs);
  const newerAbove = times.slice(0, older < 0 ? times.length : older).some((t) => t !== null && t >= createdAtMs);
  if (older >= 0 && (newerAbove || slice.start === 0 || slice.complete)) return { kind: 'continue', from: older };
  if (older < 0 && newerAbove) {
    return slice.isLast ? { kind: 'end' } : { kind: 'look', position: slice.start + slice.items.length - 1, wide: true };
  }
  // Up: the window ends on this answer's first row, so the two meet.
  if (older >= 0) return { kind: 'look', position: Math.max(0, slice.start - reach + 1), wide: true };
  if (slice.items.length === 0 && slice.start > 0) {
    return { kind: 'look', position: Math.max(0, Math.min(slice.start, slice.total ?? slice.start) - reach), wide: true };
  }
  return slice.items.length === 0 ? { kind: 'end' } : { kind: 'lost' };
}

function keyOf(transaction: Transaction, position: number, total: number | null): CursorKey {
  return { id: transaction.id, createdAtMs: createdAtOf(transaction), position, total: total !== null && total > position ? total : null };
}

function createdAtOf(transaction: Transaction): number | null {
  const ms = transaction.createdAt === null ? Number.NaN : Date.parse(transaction.createdAt);
  return Number.isSafeInteger(ms) ? ms : null;
}
