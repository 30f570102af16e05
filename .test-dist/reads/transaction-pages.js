/** Upstream calls one page may cost. */
export const MAX_CALLS_PER_PAGE = 3;
/** The largest `limit` the gateway asks for: the documented server's cap. */
export const MAX_UPSTREAM_LIMIT = 100;
/** The cursor's row, and the place it had, could not be found within MAX_CALLS_PER_PAGE calls. */
export class CursorLost extends Error {
    constructor() {
        super("the cursor's transaction could not be found in the list");
        this.name = 'CursorLost';
    }
}
export async function readTransactionPage({ first, after, filter }, load) {
    const rows = [];
    const taken = new Set(after ? [after.id] : []);
    let anchor = after ? anchorAt(after) : TOP;
    let located = after === null;
    let maxLimit = MAX_UPSTREAM_LIMIT;
    let total = null;
    for (let call = 0; call < MAX_CALLS_PER_PAGE; call++) {
        const need = first - rows.length;
        // The anchor's own row too, to find it there; before the newest row there is none.
        const span = anchor.wide ? maxLimit : need + (anchor.key ? 1 : 0);
        const asked = pageCovering(anchor.position, anchor.position + span - 1, maxLimit);
        const list = await load({ ...filter, ...asked });
        // A server that caps the limit below what was asked says so; the next windows fit its cap.
        if (list.limit !== null && list.limit > 0 && list.limit < asked.limit)
            maxLimit = list.limit;
        const slice = place(list, asked);
        total = slice.total;
        const step = locate(anchor, slice, maxLimit);
        if (step.kind === 'lost')
            break;
        if (step.kind === 'end')
            return { rows, hasNextPage: false, total };
        if (step.kind === 'look') {
            anchor = { ...anchor, position: step.position, total: slice.total, corrected: anchor.corrected || step.corrected === true, wide: step.wide === true };
            continue;
        }
        located = true;
        let index = step.from;
        for (; index < slice.items.length && rows.length < first; index++) {
            const transaction = slice.items[index];
            if (taken.has(transaction.id))
                continue;
            taken.add(transaction.id);
            rows.push({ transaction, key: keyOf(transaction, slice.start + index, slice.total) });
        }
        const more = index < slice.items.length || !slice.isLast;
        if (rows.length === first || !more)
            return { rows, hasNextPage: more, total };
        // Filling the page: continue after the last row looked at, found again like a cursor's.
        if (index > 0)
            anchor = anchorAt(keyOf(slice.items[index - 1], slice.start + index - 1, slice.total));
    }
    if (!located)
        throw new CursorLost();
    // Out of calls with the page part-filled: what was found is exact; the rest comes on the next page.
    return { rows, hasNextPage: true, total };
}
function anchorAt(key) {
    return { key, position: key.position, total: key.total, corrected: false, wide: false };
}
const TOP = { key: null, position: 0, total: null, corrected: false, wide: false };
/**
 * The upstream page (page, limit) holding positions [from, to]: the smallest limit up to
 * `maxLimit` for which one page holds them all; when none does, the page holding
 * `from` that reaches furthest (the rest is fetched after it).
 */
export function pageCovering(from, to, maxLimit = MAX_UPSTREAM_LIMIT) {
    let best = { page: 1, limit: 1, end: -1 };
    for (let limit = 1; limit <= maxLimit; limit++) {
        const index = Math.floor(from / limit);
        const end = (index + 1) * limit - 1;
        if (end >= to && limit >= to - from + 1)
            return { page: index + 1, limit };
        if (end > best.end)
            best = { page: index + 1, limit, end };
    }
    return { page: best.page, limit: best.limit };
}
/** Where an answer's items sit in the list, by the page and limit it reports (a server may cap the limit). */
function place(list, asked) {
    if (list.page === null) {
        return { items: list.items, start: 0, total: list.items.length, isLast: true, complete: true };
    }
    const limit = list.limit ?? asked.limit;
    const start = (list.page - 1) * limit;
    const isLast = list.total !== null ? start + list.items.length >= list.total : list.items.length < limit;
    return { items: list.items, start, total: list.total, isLast, complete: false };
}
function locate(anchor, slice, reach) {
    if (!anchor.key) {
        // The first page: from the newest row on.
        const from = anchor.position - slice.start;
        return from >= 0 && from <= slice.items.length ? { kind: 'continue', from } : { kind: 'lost' };
    }
    const index = slice.items.findIndex((t) => t.id === anchor.key.id);
    if (index >= 0)
        return { kind: 'continue', from: index + 1 };
    if (!slice.complete && !anchor.corrected && anchor.total !== null && slice.total !== null && slice.total !== anchor.total) {
        // New rows pushed it down by the growth of the list (or vanished rows pulled it up).
        const position = Math.max(0, anchor.position + slice.total - anchor.total);
        if (position < slice.start || position >= slice.start + slice.items.length)
            return { kind: 'look', position, corrected: true };
    }
    return byCreatedAt(anchor.key.createdAtMs, slice, reach);
}
/**
 * The row is not in this answer. Rows strictly older than its createdAt follow it, rows
 * newer precede it: the first older row after a newer one (or at the very top) is where
 * the page resumes. An answer of only newer rows says look further down; only older, up,
 * `reach` rows at a time (what one call brings).
 */
function byCreatedAt(createdAtMs, slice, reach) {
    if (createdAtMs === null)
        return { kind: 'lost' };
    const times = slice.items.map(createdAtOf);
    const older = times.findIndex((t) => t !== null && t < createdAtMs);
    const newerAbove = times.slice(0, older < 0 ? times.length : older).some((t) => t !== null && t >= createdAtMs);
    if (older >= 0 && (newerAbove || slice.start === 0 || slice.complete))
        return { kind: 'continue', from: older };
    if (older < 0 && newerAbove) {
        return slice.isLast ? { kind: 'end' } : { kind: 'look', position: slice.start + slice.items.length - 1, wide: true };
    }
    // Up: the window ends on this answer's first row, so the two meet.
    if (older >= 0)
        return { kind: 'look', position: Math.max(0, slice.start - reach + 1), wide: true };
    if (slice.items.length === 0 && slice.start > 0) {
        return { kind: 'look', position: Math.max(0, Math.min(slice.start, slice.total ?? slice.start) - reach), wide: true };
    }
    return slice.items.length === 0 ? { kind: 'end' } : { kind: 'lost' };
}
function keyOf(transaction, position, total) {
    return { id: transaction.id, createdAtMs: createdAtOf(transaction), position, total: total !== null && total > position ? total : null };
}
function createdAtOf(transaction) {
    const ms = transaction.createdAt === null ? Number.NaN : Date.parse(transaction.createdAt);
    return Number.isSafeInteger(ms) ? ms : null;
}
