/**
 * The `transactions` connection's arguments and shape. Paging itself is keyset paging over
 * KS Pay's offset-paged list (src/reads/transaction-pages.ts); its cursors are opaque,
 * versioned and signed (src/reads/transaction-cursor.ts). Every argument is checked here,
 * before any upstream call.
 */
import { ValidationError } from '../errors/gateway-errors.js';
import { CursorLost, MAX_UPSTREAM_LIMIT, readTransactionPage } from '../reads/transaction-pages.js';
export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = MAX_UPSTREAM_LIMIT;
const MAX_RANGE_MS = 90 * 24 * 3_600_000;
function dateFilter(from, to) {
    if (!from && !to)
        return {};
    if (!from)
        throw new ValidationError('from', 'from is required when to is given');
    const now = Date.now();
    const end = to ?? new Date(now);
    if (from.getTime() > now)
        throw new ValidationError('from', 'from may not be in the future');
    if (end.getTime() > now)
        throw new ValidationError('to', 'to may not be in the future');
    if (from.getTime() > end.getTime())
        throw new ValidationError('from', 'from must not be after to');
    if (end.getTime() - from.getTime() > MAX_RANGE_MS)
        throw new ValidationError('to', 'the range from–to may not exceed 90 days');
    return { fromDate: from.toISOString(), toDate: end.toISOString() };
}
export async function pageOfTransactions(args, { loaders, cursors }) {
    const first = args.first ?? DEFAULT_PAGE_SIZE;
    if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
        throw new ValidationError('first', `first must be between 1 and ${MAX_PAGE_SIZE}`);
    }
    const scope = { from: args.from, to: args.to };
    let after = null;
    if (args.after != null) {
        after = cursors.decode(args.after, scope);
        if (!after)
            throw new ValidationError('after', 'after must be a cursor this connection returned, with the same from and to');
    }
    const filter = dateFilter(args.from, args.to);
    const page = await readTransactionPage({ first, after, filter }, (query) => loaders.transactionPage.load(query)).catch((error) => {
        if (!(error instanceof CursorLost))
            throw error;
        throw new ValidationError('after', 'the transaction after points at is no longer in the list; start again from the first page');
    });
    // Each cursor is signed (an HMAC) only when the query reads it: a page that asks for nodes alone signs none.
    const edges = page.rows.map(({ transaction, key }) => lazyEdge(transaction, () => cursors.encode(key, scope)));
    return {
        edges,
        pageInfo: {
            hasNextPage: page.hasNextPage,
            hasPreviousPage: after !== null,
            get startCursor() {
                return edges[0]?.cursor ?? null;
            },
            get endCursor() {
                return edges.at(-1)?.cursor ?? null;
            },
        },
        totalCount: page.total,
    };
}
/** An edge whose cursor is made on first read, then kept. */
function lazyEdge(node, encode) {
    let cursor;
    return {
        node,
        get cursor() {
            cursor ??= encode();
            return cursor;
        },
    };
}
