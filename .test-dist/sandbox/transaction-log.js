/** The only moves a transaction can make. */
const TRANSITIONS = {
    INITIATED: ['PROCESSING'],
    PROCESSING: ['SUCCESS', 'FAILED'],
    SUCCESS: [],
    FAILED: [],
};
export function canTransition(from, to) {
    return TRANSITIONS[from].includes(to);
}
export function isSettled(status) {
    return TRANSITIONS[status].length === 0;
}
export class IllegalTransition extends Error {
    from;
    to;
    constructor(from, to) {
        super(`A ${from} transaction cannot become ${to}`);
        this.from = from;
        this.to = to;
        this.name = 'IllegalTransition';
    }
}
/** Newest first: createdAt descending, then id descending, a stable total order. */
export function newestFirst(a, b) {
    return compareDesc(a.createdAt, b.createdAt) || compareDesc(a.id, b.id);
}
/** Default most transactions one app keeps. */
export const MAX_TRANSACTIONS_PER_APP = 100_000;
/**
 * One app's transactions, bounded. Past `max`, the one settled longest ago is
 * forgotten, or the oldest open one when none is settled. It is a sandbox: a long
 * run forgets old payments rather than grow without end.
 */
export class TransactionLog {
    max;
    /** In creation order. */
    #byId = new Map();
    /** Ids of settled transactions, in the order they settled. */
    #settled = new Set();
    constructor(max = MAX_TRANSACTIONS_PER_APP) {
        this.max = max;
        if (!Number.isSafeInteger(max) || max < 1)
            throw new RangeError('max must be a positive integer');
    }
    get(id) {
        return this.#byId.get(id);
    }
    values() {
        return this.#byId.values();
    }
    /** Adds a new transaction; answers the id forgotten to make room, if one was. */
    add(transaction) {
        this.#byId.set(transaction.id, transaction);
        if (isSettled(transaction.status))
            this.#settled.add(transaction.id);
        return this.#byId.size > this.max ? this.#forgetOne() : undefined;
    }
    /** Stores a transaction's next state; it keeps its place. */
    replace(transaction) {
        this.#byId.set(transaction.id, transaction);
        if (isSettled(transaction.status))
            this.#settled.add(transaction.id);
    }
    #forgetOne() {
        const [id] = this.#settled.size > 0 ? this.#settled : this.#byId.keys();
        this.#settled.delete(id);
        this.#byId.delete(id);
        return id;
    }
}
function compareDesc(a, b) {
    return a < b ? 1 : a > b ? -1 : 0;
}
