/**
 * The request scope is switched off between operations (src/observability/request-scope.ts):
 * an operation that settles must never take the scope away from one still running, and
 * an operation after a quiet spell must get its scope back.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { currentScope, runInScope, type RequestScope } from '../../src/observability/request-scope.js';

const scopeOf = (requestId: string): RequestScope => ({ requestId, upstreamCalls: 0, errorCodes: [] });

/** An operation's execution: it reads its scope before and after waiting. */
async function operation(waitMs: number): Promise<[string | undefined, string | undefined]> {
  const before = currentScope()?.requestId;
  await sleep(waitMs);
  await Promise.resolve();
  return [before, currentScope()?.requestId];
}

describe('request scope', () => {
  it('follows an operation through its awaits', async () => {
    expect(await runInScope(scopeOf('a'), () => operation(5))).toEqual(['a', 'a']);
  });

  it('stays with a running operation when another one settles first', async () => {
    const long = runInScope(scopeOf('long'), () => operation(60));
    const short = runInScope(scopeOf('short'), () => operation(1));
    expect(await short).toEqual(['short', 'short']);
    // The short one settled (the last but one): the long one still has its scope after it.
    expect(await long).toEqual(['long', 'long']);
  });

  it('is off between operations and back for the next one', async () => {
    // Work an operation leaves behind (a timer) no longer sees its scope once it has settled.
    let leftBehind: Promise<string | undefined> = Promise.resolve('not run');
    await runInScope(scopeOf('first'), async () => {
      leftBehind = sleep(20).then(() => currentScope()?.requestId);
      return operation(1);
    });
    expect(await leftBehind).toBeUndefined();
    expect(await runInScope(scopeOf('next'), () => operation(1))).toEqual(['next', 'next']);
  });

  it('counts an operation that throws at once as settled', async () => {
    expect(() =>
      runInScope(scopeOf('thrown'), () => {
        throw new Error('bad');
      }),
    ).toThrow('bad');
    expect(await runInScope(scopeOf('after'), () => operation(1))).toEqual(['after', 'after']);
  });

  it('waits for a thenable that is not a native Promise', async () => {
    type Seen = [string | undefined, string | undefined];
    const result = runInScope(scopeOf('thenable'), (): PromiseLike<Seen> => {
      const pending = operation(30);
      return { then: (ok, fail) => pending.then(ok, fail) };
    });
    // Another operation settling first must not switch the scope off under the thenable's work.
    await runInScope(scopeOf('other'), () => operation(1));
    expect(await result).toEqual(['thenable', 'thenable']);
  });

  it('keeps a synchronous result as it is', () => {
    expect(runInScope(scopeOf('sync'), () => currentScope()?.requestId)).toBe('sync');
  });
});
