/**
 * Live reads shared without going stale. A transaction that is not final (and every page
 * of the list) must be read from KS Pay for each lookup; concurrent lookups of the same
 * key may still share one upstream GET, as long as that GET was SENT AFTER each of them
 * arrived. So a read never joins the GET in flight (it may have been answered upstream
 * before a status change the reader has already seen); it queues for the next GET, sent
 * once the one in flight has finished, for everyone who queued meanwhile. Per key there is
 * at most one GET in flight and one queued, and read-your-writes holds: a read that starts
 * after a mutation answered is answered by a GET sent after it.
 *
 * Per instance, like DataLoader's batch but across requests: `read(key)` answers what the
 * GET answered, or rejects with the very error it failed with.
 */
import { Counter } from 'prom-client';
class FreshReads {
    #slots = new Map();
    #load;
    #keyOf;
    #onShared;
    /** `keyOf`: equal keys, equal reads. `onShared`: told of each read answered by a GET another read caused. */
    constructor(load, keyOf, onShared) {
        this.#load = load;
        this.#keyOf = keyOf;
        this.#onShared = onShared;
    }
    read(args) {
        const key = this.#keyOf(args);
        const slot = this.#slots.get(key);
        if (!slot)
            return this.#send(key, args, { queued: null });
        this.#onShared?.();
        if (slot.queued)
            return slot.queued.promise;
        const queued = deferred();
        slot.queued = queued;
        return queued.promise;
    }
    /** Sends the key's GET now; when it finishes, sends the queued one, if any. */
    #send(key, args, slot) {
        this.#slots.set(key, slot);
        let sent;
        try {
            sent = this.#load(args);
        }
        catch (error) {
            sent = Promise.reject(error);
        }
        const finished = () => {
            const queued = slot.queued;
            if (!queued)
                return void this.#slots.delete(key);
            slot.queued = null;
            this.#send(key, args, slot).then(queued.resolve, queued.reject);
        };
        sent.then(finished, finished);
        return sent;
    }
}
function deferred() {
    let resolve;
    let reject;
    const promise = new Promise((res, rej) => {
        resolve = res;
        reject = rej;
    });
    return { promise, resolve, reject };
}
/** The instance's live reads over `client`, with the reads that shared a GET counted on /metrics. */
export function createLiveReads(client, registry) {
    const shared = new Counter({
        name: 'kspay_gateway_shared_live_reads_total',
        help: 'Live transaction reads answered by an upstream GET sent after they arrived for another read of the same key',
        labelNames: ['endpoint'],
        registers: [registry],
    });
    const transactionShared = shared.labels('transaction');
    const pageShared = shared.labels('transactions');
    const transactions = new FreshReads((id) => client.transaction({ id }), (id) => id, () => transactionShared.inc());
    const pages = new FreshReads((query) => client.transactions(query), pageKey, () => pageShared.inc());
    return { transaction: (id) => transactions.read(id), transactions: (query) => pages.read(query) };
}
/** The list query as a key: its fields in one order, so equal queries meet. */
function pageKey({ page, limit, fromDate, toDate }) {
    return JSON.stringify({ page, limit, fromDate, toDate });
}
