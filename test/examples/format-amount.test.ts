/** The example app's amounts, shown with the currency's decimal places: exact, on the digits. */
import { describe, expect, it } from 'vitest';
import { formatAmount } from '../../examples/web/app/amount.js';

describe('a newcomer reading the example: formatAmount', () => {
  it.each([
    ['12.5', 2, '12.50'],
    ['12', 2, '12.00'],
    ['12.50', 2, '12.50'],
    ['345.670', 2, '345.67'],
    ['345', 0, '345'],
    ['345.00', 0, '345'],
    ['0.000001', 6, '0.000001'],
    ['0.1', 6, '0.100000'],
    // Beyond a float's precision, still exact.
    ['90071992547409931.1', 2, '90071992547409931.10'],
    ['-3.5', 2, '-3.50'],
  ])('%s with %d decimal places is %s', (text, places, shown) => {
    expect(formatAmount(text, places)).toBe(shown);
  });

  it.each<[string, number | null | undefined, string]>([
    ['12.345', 2, 'it would need rounding'],
    ['1e3', 2, 'it is not a plain decimal'],
    ['', 2, 'it is empty'],
    ['12.5', null, 'the decimal places are unknown'],
    ['12.5', undefined, 'there is no currency'],
  ])('shows %j (%s decimal places) as given: %s', (text, places) => {
    expect(formatAmount(text, places)).toBe(text);
  });
});
