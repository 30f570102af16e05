import { listPages } from '../kspay/transaction-pages.js';
export class ReferenceIndex {
    #client;
    #onPage;
    #pageSize;
    #maxPages;
    #overlapMs;
    #byReference = new Map();
    #coveredFrom = null;
    #coveredUntil = 0;
    #scan = null;
    constructor({ client, onPage = () => undefined, pageSize = 100, maxPages = 1_000, overlapMs = 60_000 }) {
        this.#client = client;
        this.#onPage = onPage;
        this.#pageSize = pageSize;
        this.#maxPages = maxPages;
        this.#overlapMs = overlapMs;
    }
    /** The transaction of `referenceNumber` created since `from`, from a list read no earlier than `notBefore`. */
    async find(referenceNumber, from, notBefore) {
        await this.#cover(from, notBefore);
        return this.#byReference.get(referenceNumber) ?? null;
    }
    /** Forgets everything (the window closed): a later loss starts a new index. */
    clear() {
        this.#byReference.clear();
        this.#coveredFrom = null;
        this.#coveredUntil = 0;
    }
    async #cover(from, notBefore) {
        for (;;) {
            if (this.#coveredFrom !== null && this.#coveredFrom <= from && this.#coveredUntil >= notBefore)
                return;
            // A scan under way that reaches far enough is joined; one that does not is waited out, then another starts.
            if (this.#scan !== null) {
                await this.#scan;
                continue;
            }
            const whole = this.#coveredFrom === null || from < this.#coveredFrom;
            const scanFrom = whole ? from : this.#coveredUntil - this.#overlapMs;
            const until = Date.now();
            const scan = this.#read(scanFrom, until)
                .then(() => {
                this.#coveredFrom = whole ? from : this.#coveredFrom;
                this.#coveredUntil = until;
            })
                .finally(() => {
                if (this.#scan === scan)
                    this.#scan = null;
            });
            this.#scan = scan;
        }
    }
    async #read(from, until) {
        const fromDate = new Date(from).toISOString();
        const toDate = new Date(until).toISOString();
        for await (const { items, last } of listPages(this.#client, { fromDate, toDate, pageSize: this.#pageSize, maxPages: this.#maxPages })) {
            this.#onPage();
            for (const transaction of items) {
                if (transaction.referenceNumber)
                    this.#byReference.set(transaction.referenceNumber, transaction);
            }
            if (last)
                return;
        }
        throw new Error(`reference index: more than ${this.#maxPages} pages of transactions in the window`);
    }
}
