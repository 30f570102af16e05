/**
 * Items in the order they arrived, read from the front in constant time. A Map's own
 * order is not that: V8 leaves a hole for each deleted entry until the table is rebuilt,
 * and every walk from the front steps over all of them. Taking the oldest of 100,000
 * records that way cost ~28 µs per new transaction once the sandbox was full (~1.4 µs with this).
 *
 * An item its owner no longer holds (`isKept` says) is dropped when it reaches the front, or
 * when such items outnumber the held ones (`heldCount`): a held item that never leaves the
 * front must not keep everything queued behind it.
 */
export class ArrivalQueue<T> {
  #items: T[] = [];
  #head = 0;

  constructor(
    private readonly isKept: (item: T) => boolean,
    private readonly heldCount: () => number,
  ) {}

  /** Items queued, held or not: at most about twice those held. */
  get length(): number {
    return this.#items.length - this.#head;
  }

  push(item: T): void {
    this.#items.push(item);
    // Filtered once the dropped are at least half: each item is looked at a bounded number of times.
    if (this.length > 2 * this.heldCount() + 1024) {
      this.#items = this.#items.slice(this.#head).filter(this.isKept);
      this.#head = 0;
    }
  }

  /**
   * The oldest item still kept, dropping those ahead of it that are not; undefined when none
   * is left. It stays queued until a later call finds it gone.
   */
  oldest(): T | undefined {
    while (this.#head < this.#items.length) {
      const item = this.#items[this.#head]!;
      if (this.isKept(item)) {
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
