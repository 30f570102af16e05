/** Unit tests of the small pure pieces: exact money and retry timing (the transaction page's cursor math: transaction-pages.test.ts). */
import { describe, expect, it } from 'vitest';
import { Decimal, fitsJsonNumber, fromWireNumber, parseAmount, significantDigits } from '../../src/kspay/money.js';
import { backoffDelay, MAX_RETRY_AFTER_MS, parseRetryAfter, retryPolicy, withRetry } from '../../src/kspay/retry.js';

describe('Decimal', () => {
  it.each([
    ['345.67', '345.67', 2],
    ['0012.500', '12.5', 1],
    ['-0.0', '0', 0],
    [42, '42', 0],
    [10n ** 20n, '100000000000000000000', 0],
  ] as const)('parses %s canonically', (input, text, places) => {
    const d = Decimal.parse(input)!;
    expect([d.text, d.places]).toEqual([text, places]);
    expect(JSON.stringify({ d })).toBe(`{"d":"${text}"}`);
  });

  it.each(['1e3', '1.2.3', '', ' ', 'abc', '.5', '5.'])('refuses %j', (input) => expect(Decimal.parse(input)).toBeNull());
  it('refuses a fractional JS number as input: it has already lost precision', () => expect(Decimal.parse(0.1)).toBeNull());

  it('checks amounts: positive, places, 15 significant digits', () => {
    expect(parseAmount('0', 8)).toEqual({ ok: false, error: 'NOT_POSITIVE' });
    expect(parseAmount('1.123456789', 8)).toEqual({ ok: false, error: 'TOO_MANY_PLACES' });
    expect(significantDigits(Decimal.parse('99999999999.999999')!)).toBe(17);
    expect(fitsJsonNumber(Decimal.parse('99999999999.999999')!)).toBe(false);
    expect(fitsJsonNumber(Decimal.parse('9999999999.99999')!)).toBe(true);
  });

  it('reads wire numbers exactly, and refuses what a float may have rounded', () => {
    expect(fromWireNumber(345.67)?.text).toBe('345.67');
    expect(fromWireNumber('0.10')?.text).toBe('0.1');
    expect(fromWireNumber(1e-7)?.text).toBe('0.0000001');
    expect(fromWireNumber(0.1 + 0.2)).toBeNull(); // 0.30000000000000004: 17 digits
    expect(fromWireNumber(Number.NaN)).toBeNull();
  });
});

describe('retry timing', () => {
  const policy = retryPolicy({ baseDelayMs: 100, maxDelayMs: 1_000 }, 10_000);

  it('backs off exponentially with full jitter, capped', () => {
    expect([1, 2, 3, 4, 5].map((attempt) => backoffDelay(policy, attempt, () => 0.999))).toEqual([99, 199, 399, 799, 999]);
    expect(backoffDelay(policy, 3, () => 0)).toBe(0);
  });

  it('reads Retry-After as seconds or a date, clamped to an hour', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('2', now)).toBe(2_000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:05 GMT', now)).toBe(5_000);
    expect(parseRetryAfter('99999999999', now)).toBe(MAX_RETRY_AFTER_MS);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter(null, now)).toBeNull();
  });

  it('stops at the first success, at a failure it may not retry, and after the last attempt', async () => {
    const fast = { ...policy, baseDelayMs: 1, maxDelayMs: 1, maxAttempts: 3 };
    let calls = 0;
    const retryable = { isRetryable: () => true, requestedDelayMs: () => null };
    await expect(withRetry(fast, retryable, async () => ++calls)).resolves.toBe(1);
    calls = 0;
    await expect(withRetry(fast, retryable, async () => Promise.reject(new Error(`fail ${++calls}`)))).rejects.toThrow('fail 3');
    calls = 0;
    await expect(withRetry(fast, { ...retryable, isRetryable: () => false }, async () => Promise.reject(new Error(`fail ${++calls}`)))).rejects.toThrow(
      'fail 1',
    );
  });
});
