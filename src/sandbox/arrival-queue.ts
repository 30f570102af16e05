/**
 * Items in the order they arrived, read from the front in constant time. A Map's own
 * order is not that: V8 leaves a hole for each deleted entry until the table is rebuilt,
 * and every walk from the front steps over all of them. Taking the oldest of 100,000
 * records that way cost ~28 µs per new transaction once the sandbox was full (~1.4 µs with this).
 */
export class ArrivalQueue<T> {
  #items: T[] = [];
  #head = 0;

  push(item: T): void {
    this.#items.push(item);
  }

  /**
   * The oldest item `isKept` still accepts, dropping those ahead of it that it does not;
   * undefined when none is left. It stays queued until a later call finds it gone.
   */
  oldest(isKept: (item: T) => boolean): T | undefined {
    while (this.#head < this.#items.length) {
      const item = this.#items[this.#head]!;
      if (isKept(item)) {
        this.#compact();
        return item;
      }
      this.#head += 1;
    }
    this.#items = [];
    this.#head = 0;
    return undefined;
  }

  /** The dropped front is cut off once it is half the array: each item is copied a bounded number of times. */
  #compact(): void {
    if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
  }
}
