/**
 * A bounded ring: the last `capacity` values pushed, for lists that would otherwise grow
 * with every request (the issued tokens a test greps logs for).
 */
export class RecentValues<T> {
  readonly #values: T[] = [];
  /** Once full, where the next value goes: the oldest one's slot. */
  #oldest = 0;

  constructor(readonly capacity: number) {
    if (!Number.isSafeInteger(capacity) || capacity < 1) throw new RangeError('capacity must be a positive integer');
  }

  push(...values: T[]): void {
    for (const value of values) {
      if (this.#values.length < this.capacity) {
        this.#values.push(value);
      } else {
        this.#values[this.#oldest] = value;
        this.#oldest = (this.#oldest + 1) % this.capacity;
      }
    }
  }

  /** A copy, oldest first. */
  values(): T[] {
    return [...this.#values.slice(this.#oldest), ...this.#values.slice(0, this.#oldest)];
  }
}
