export class ExpiringRecords {
    options;
    #records = new Map();
    constructor(options) {
        this.options = options;
    }
    get(key) {
        this.#sweep();
        return this.#records.get(key);
    }
    set(key, record) {
        this.#sweep();
        this.#records.set(key, record);
        if (this.#records.size > this.options.maxSize)
            this.#records.delete(this.#records.keys().next().value);
    }
    delete(key) {
        this.#records.delete(key);
    }
    values() {
        return this.#records.values();
    }
    get size() {
        return this.#records.size;
    }
    /** A clock that steps back only makes a record stay a little longer. */
    #sweep() {
        const cutoff = this.options.now() - this.options.keepExpiredMs;
        for (const [key, record] of this.#records) {
            if (record.expiresAt > cutoff)
                return;
            this.#records.delete(key);
        }
    }
}
