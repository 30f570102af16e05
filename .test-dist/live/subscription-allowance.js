/**
 * How many subscriptions may be open at once on this instance (each is a watch that may
 * poll KS Pay): per client address (MAX_SUBSCRIPTIONS_PER_ADDRESS), for everyone together
 * (MAX_SUBSCRIPTIONS), and, only when set, per API key (MAX_SUBSCRIPTIONS_PER_KEY). A cap
 * per key alone was a lever: a storefront's key is in every customer's browser, so one
 * holder of it could use up every customer's live updates; an address holds only its own.
 */
export class SubscriptionAllowance {
    #limits;
    #open = new Map();
    constructor(limits) {
        this.#limits = limits;
    }
    /**
     * A place for one more open subscription, or the limit that refuses it. Reserve before
     * any upstream read, so a refused subscription costs nothing. The place is also given back
     * when `signal` aborts: a client that leaves before its stream starts never gets an
     * iterator to return. Releasing twice is harmless.
     */
    reserve(holder, signal) {
        const counters = [
            ['total', this.#limits.total, 'total'],
            [`address:${holder.address}`, this.#limits.perAddress, 'address'],
        ];
        // With client auth off, every caller is one client: the per-key cap is then one allowance for all.
        if (this.#limits.perKey !== null)
            counters.push([`key:${holder.keyId ?? 'keyless'}`, this.#limits.perKey, 'key']);
        const full = counters.find(([name, limit]) => (this.#open.get(name) ?? 0) >= limit);
        if (full)
            return { refused: full[2], limit: full[1] };
        for (const [name] of counters)
            this.#open.set(name, (this.#open.get(name) ?? 0) + 1);
        let held = true;
        const release = () => {
            if (!held)
                return;
            held = false;
            signal?.removeEventListener('abort', release);
            for (const [name] of counters) {
                const left = (this.#open.get(name) ?? 1) - 1;
                if (left > 0)
                    this.#open.set(name, left);
                else
                    this.#open.delete(name);
            }
        };
        signal?.addEventListener('abort', release, { once: true });
        if (signal?.aborted)
            release();
        return { release };
    }
}
