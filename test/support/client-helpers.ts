/** Shared by the KS Pay client tests. */
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import { isKsPayError, type KsPayError } from '../../src/kspay/kspay-error.js';
import { Decimal } from '../../src/kspay/money.js';
import { CURRENCY_IDS, PAYMENT_METHOD_IDS } from '../../src/sandbox/fixtures.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/server.js';
import { newReference } from './references.js';

let started: Sandbox | undefined;

/** This test file's sandbox, once useClientSandbox() has started it. */
export function sandbox(): Sandbox {
  if (!started) throw new Error('useClientSandbox() has not started a sandbox yet');
  return started;
}

/** One sandbox per test file; its faults, shapes and call counts are reset before each test. */
export function useClientSandbox(): void {
  beforeAll(async () => {
    started = await startSandbox();
  });
  afterAll(async () => {
    await started?.close();
    started = undefined;
  });
  beforeEach(() => {
    sandbox().faults.reset();
    sandbox().shapes.reset();
    sandbox().calls.reset();
  });
}

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
