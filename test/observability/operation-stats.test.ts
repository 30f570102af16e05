/**
 * The operation stats storage is switched off between operations (src/observability/operation-stats.ts):
 * an operation that settles must never take the stats away from one still running, and
 * an operation after a quiet spell must get its stats back.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { currentStats, runWithStats, type OperationStats } from '../../src/observability/operation-stats.js';

const statsOf = (requestId: string): OperationStats => ({ requestId, upstreamCalls: 0, errorCodes: [] });

/** An operation's execution: it reads its stats before and after waiting. */
async function operation(waitMs: number): Promise<[string | undefined, string | undefined]> {
  const before = currentStats()?.requestId;
  await sleep(waitMs);
  await Promise.resolve();
  return [before, currentStats()?.requestId];
}

describe('operation stats storage', () => {
  it('follows an operation through its awaits', async () => {
    expect(await runWithStats(statsOf('a'), () => operation(5))).toEqual(['a', 'a']);
  });

  it('stays with a running operation when another one settles first', async () => {
    const long = runWithStats(statsOf('long'), () => operation(60));
    const short = runWithStats(statsOf('short'), () => operation(1));
    expect(await short).toEqual(['short', 'short']);
    // The short one settled (the last but one): the long one still has its stats after it.
    expect(await long).toEqual(['long', 'long']);
  });

  it('is off between operations and back for the next one', async () => {
    // Work an operation leaves behind (a timer) no longer sees its stats once it has settled.
    let leftBehind: Promise<string | undefined> = Promise.resolve('not run');
    await runWithStats(statsOf('first'), async () => {
      leftBehind = sleep(20).then(() => currentStats()?.requestId);
      return operation(1);
    });
    expect(await leftBehind).toBeUndefined();
    expect(await runWithStats(statsOf('next'), () => operation(1))).toEqual(['next', 'next']);
  });

  it('counts an operation that throws at once as settled', async () => {
    expect(() =>
      runWithStats(statsOf('thrown'), () => {
        throw new Error('bad');
      }),
    ).toThrow('bad');
    expect(await runWithStats(statsOf('after'), () => operation(1))).toEqual(['after', 'after']);
  });

  it('waits for a thenable that is not a native Promise', async () => {
    type Seen = [string | undefined, string | undefined];
    const result = runWithStats(statsOf('thenable'), (): PromiseLike<Seen> => {
      const pending = operation(30);
      return { then: (ok, fail) => pending.then(ok, fail) };
    });
    // Another operation settling first must not switch the stats off under the thenable's work.
    await runWithStats(statsOf('other'), () => operation(1));
    expect(await result).toEqual(['thenable', 'thenable']);
  });

  it('keeps a synchronous result as it is', () => {
    expect(runWithStats(statsOf('sync'), () => currentStats()?.requestId)).toBe('sync');
  });
});
