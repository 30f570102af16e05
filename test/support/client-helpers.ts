/** Shared by the KS Pay client tests (their sandbox: `useSandbox()` of ./sandbox-support.ts). */
import { expect } from 'vitest';
import { isKsPayError, type KsPayError } from '../../src/kspay/kspay-error.js';
import { Decimal } from '../../src/kspay/money.js';
import { CURRENCY_IDS, PAYMENT_METHOD_IDS } from '../../src/sandbox/fixtures.js';
import { newReference } from './references.js';

/** Arguments for a valid INR initiate, with a fresh referenceNumber each time. */
export function initiateArgs(overrides: { currencyId?: string; paymentMethodId?: string; amount?: string } = {}) {
  return {
    currencyId: overrides.currencyId ?? CURRENCY_IDS.INR,
    paymentMethodId: overrides.paymentMethodId ?? PAYMENT_METHOD_IDS.INR_UPI,
    amount: Decimal.parse(overrides.amount ?? '345.67')!,
    referenceNumber: newReference('client-test'),
    redirectUrl: 'https://shop.example/return',
  };
}

/** Runs `call`, which must fail, and returns its KsPayError. */
export async function failureOf(call: Promise<unknown>): Promise<KsPayError> {
  const error = await call.then(
    () => expect.fail('expected the call to fail'),
    (e: unknown) => e,
  );
  expect(isKsPayError(error)).toBe(true);
  return error as KsPayError;
}
