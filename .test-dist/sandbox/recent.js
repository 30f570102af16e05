/**
 * A bounded ring: the last `capacity` values pushed, for lists that would otherwise grow
 * with every request (the issued tokens a test greps logs for).
 */
export class RecentValues {
    capacity;
    #values = [];
    /** Once full, where the next value goes: the oldest one's slot. */
    #oldest = 0;
    constructor(capacity) {
        this.capacity = capacity;
        if (!Number.isSafeInteger(capacity) || capacity < 1)
            throw new RangeError('capacity must be a positive integer');
    }
    push(...values) {
        for (const value of values) {
            if (this.#values.length < this.capacity) {
                this.#values.push(value);
            }
            else {
                this.#values[this.#oldest] = value;
                this.#oldest = (this.#oldest + 1) % this.capacity;
            }
        }
    }
    /** A copy, oldest first. */
    values() {
        return [...this.#values.slice(this.#oldest), ...this.#values.slice(0, this.#oldest)];
    }
}
