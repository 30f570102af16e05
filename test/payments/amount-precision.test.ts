/**
 * Finding 5: an amount is never rounded. One that a JSON number cannot carry exactly
 * (more than 15 significant digits) is refused before KS Pay sees it, and a number KS Pay
 * sends that needs more digits is unreadable rather than guessed at.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Decimal, fitsJsonNumber, fromWireNumber, significantDigits } from '../../src/kspay/money.js';
import { requireAmount } from '../../src/schema/validation.js';
import { newReference } from '../support/references.js';
import { startStack, type Stack } from '../support/stack.js';
import { AS_A } from '../support/presets.js';
import { currencyAndMethod, initiateAs } from '../support/payment-steps.js';

describe('a client sending odd amounts: an amount over HTTP', () => {
  let stack: Stack;
  let usdt: { currencyId: string; paymentMethodId: string };

  beforeAll(async () => {
    stack = await startStack({ preset: 'production' });
    usdt = await currencyAndMethod(stack, 'USDT');
  });
  afterAll(() => stack.close());
  beforeEach(() => stack.sandbox.calls.reset());

  const initiate = (amount: string) =>
    initiateAs(stack, AS_A, { ...usdt, amount, referenceNumber: newReference('precision'), redirectUrl: 'https://shop.example/r' });

  it.each(['99999999999.999999', '1234567890123.456', '1000000000.0000001'])(
    'of more than 15 significant digits (%s) is a VALIDATION error on input.amount, with no upstream call',
    async (amount) => {
      const result = await initiate(amount);
      expect(result).toMatchObject({ __typename: 'ValidationError', code: 'VALIDATION', field: 'input.amount' });
      expect(result.message).toMatch(/15 significant digits/);
      expect(result).not.toHaveProperty('signature');
      expect(stack.sandbox.calls.count('initiate')).toBe(0);
    },
  );

  it('of exactly 15 significant digits reaches KS Pay and comes back unchanged', async () => {
    const result = await initiate('999999999.999999');
    expect(result.__typename).toBe('InitiateTransactionSuccess');
    expect(result.transaction.amount).toBe('999999999.999999');
    expect(stack.sandbox.calls.count('initiate')).toBe(1);
  });
});

describe('a client sending odd amounts: the digit rule', () => {
  const digits = (text: string) => significantDigits(Decimal.parse(text)!);

  it('counts from the first non-zero digit, ignoring the point and trailing fractional zeros', () => {
    expect(digits('345.67')).toBe(5);
    expect(digits('0.00000001')).toBe(1);
    expect(digits('1200')).toBe(4);
    expect(digits('1200.50')).toBe(5);
    expect(digits('99999999999.999999')).toBe(17);
  });

  it('lets through 15 digits and no more', () => {
    expect(fitsJsonNumber(Decimal.parse('123456789012.345')!)).toBe(true);
    expect(fitsJsonNumber(Decimal.parse('123456789012.3456')!)).toBe(false);
    expect(requireAmount('input.amount', '123456789012.345').text).toBe('123456789012.345');
    expect(() => requireAmount('input.amount', '123456789012.3456')).toThrow(/input.amount may have at most 15 significant digits/);
  });
});

describe('a client sending odd amounts: an amount read from KS Pay', () => {
  it('is the decimal KS Pay wrote, for up to 15 significant digits', () => {
    expect(fromWireNumber(345.67)?.text).toBe('345.67');
    expect(fromWireNumber(999999999.999999)?.text).toBe('999999999.999999');
    expect(fromWireNumber(0.00000015)?.text).toBe('0.00000015'); // 1.5e-7: the exponent is moved in the text
    expect(fromWireNumber(1.23456789e-7)?.text).toBe('0.000000123456789');
    expect(fromWireNumber('99999999999.999999')?.text).toBe('99999999999.999999'); // text is exact
  });

  it('is unreadable (null) when the number needs more digits than KS Pay can have meant', () => {
    expect(fromWireNumber(0.1 + 0.2)).toBeNull(); // 0.30000000000000004
    expect(fromWireNumber(1.2345678901234567e-7)).toBeNull(); // toFixed(20) used to round this to 14 digits
    expect(fromWireNumber(12345678.123456789)).toBeNull();
  });
});
