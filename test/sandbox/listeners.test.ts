/**
 * The sandbox delays answers (the `latencyMs` fault) without an abort listener per parked
 * request on one shared signal: under load that passed Node's limit of 10 and printed
 * "MaxListenersExceededWarning: … 11 abort listeners added to [AbortSignal]" in npm test.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startSandbox } from '../../src/sandbox/server.js';

const PARKED = 20;
const warnings: Error[] = [];
const onWarning = (warning: Error) => warnings.push(warning);

afterEach(() => {
  process.off('warning', onWarning);
});

describe('a newcomer parking many delayed answers', () => {
  it('parks many delayed answers without a listener each, and close() still cuts them all short', async () => {
    process.on('warning', onWarning);
    const sandbox = await startSandbox();
    // Long enough that every request is still parked when the sandbox closes.
    sandbox.faults.set({ latencyMs: 600_000 });
    const answers = Array.from({ length: PARKED }, () =>
      fetch(`${sandbox.url}/currencies`).then(
        () => 'answered',
        () => 'cut off',
      ),
    );
    await vi.waitUntil(() => sandbox.calls.count('currencies') === PARKED, { timeout: 20_000, interval: 5 });

    await sandbox.close();
    expect(await Promise.all(answers)).toEqual(Array(PARKED).fill('cut off'));
    await new Promise((resolve) => setImmediate(resolve)); // warnings are emitted on the next tick
    expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning').map(String)).toEqual([]);
  });
});
