/** The in-process reference ledger: what a report walks, forgotten with the records, bounded like them. */
import { describe, expect, it } from 'vitest';
import { memoryReferenceLedger } from '../../src/stores/reference-ledger.js';

describe('the in-process reference ledger', () => {
  it('lists the keys asked for within a window, oldest first, at most `limit`', async () => {
    const ledger = memoryReferenceLedger(100);
    await ledger.note('app|c', 3_000, 60_000);
    await ledger.note('app|a', 1_000, 60_000);
    await ledger.note('app|b', 2_000, 60_000);
    expect(await ledger.between(1_000, 3_000, 10)).toEqual(['app|a', 'app|b', 'app|c']);
    expect(await ledger.between(1_500, 2_500, 10)).toEqual(['app|b']);
    expect(await ledger.between(0, 5_000, 2)).toEqual(['app|a', 'app|b']);
  });

  it('forgets a key when its record would expire, and holds at most maxEntries', async () => {
    let now = 0;
    const ledger = memoryReferenceLedger(2, () => now);
    await ledger.note('app|a', 0, 1_000);
    now = 999;
    expect(await ledger.between(0, 10_000, 10)).toEqual(['app|a']);
    now = 1_000;
    expect(await ledger.between(0, 10_000, 10)).toEqual([]);
    await ledger.note('app|b', 1_000, 1_000);
    await ledger.note('app|c', 1_001, 1_000);
    await ledger.note('app|d', 1_002, 1_000);
    expect(await ledger.between(0, 10_000, 10)).toEqual(['app|c', 'app|d']);
  });
});
