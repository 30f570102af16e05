/**
 * Finding 6, the probes: `GET /readyz` needs no key, and each hit cost an upstream call.
 * Readiness is now cached for a few seconds and checked single-flight.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startProductionStack } from '../support/production.js';
import type { Stack } from '../support/harness.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startProductionStack();
});
afterAll(() => stack.close());

it('answers 100 readiness probes, 20 at a time, with at most a handful of upstream calls', async () => {
  stack.sandbox.calls.reset();
  for (let round = 0; round < 5; round++) {
    const answers = await Promise.all(Array.from({ length: 20 }, () => fetch(`${stack.url}/readyz`)));
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
  }
  // One check (a token and the currency list) per 5 s interval; the loop takes far less than that.
  expect(stack.sandbox.calls.count('currencies')).toBeLessThanOrEqual(2);
  expect(stack.sandbox.calls.count()).toBeLessThanOrEqual(4);
});
