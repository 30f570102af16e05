/**
 * Finding 6, the probes: `GET /readyz` needs no key, and each hit cost an upstream call.
 * Readiness now reports this instance only (no upstream call at all), and the dependency
 * checks (/health/dependencies, the gauges of /metrics) are cached for a few seconds and
 * run single-flight.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startProductionStack } from '../support/production.js';
import type { Stack } from '../support/harness.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startProductionStack();
});
afterAll(() => stack.close());

it('answers 100 readiness probes, 20 at a time, with no upstream call', async () => {
  stack.sandbox.calls.reset();
  for (let round = 0; round < 5; round++) {
    const answers = await Promise.all(Array.from({ length: 20 }, () => fetch(`${stack.url}/readyz`)));
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
  }
  expect(stack.sandbox.calls.count()).toBe(0);
});

it('answers 100 dependency probes and scrapes, 20 at a time, with at most a handful of upstream calls', async () => {
  stack.sandbox.calls.reset();
  for (let round = 0; round < 5; round++) {
    const path = round % 2 ? '/metrics' : '/health/dependencies';
    const answers = await Promise.all(Array.from({ length: 20 }, () => fetch(`${stack.url}${path}`)));
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
  }
  // One check (a token and the currency list) per 5 s interval; the loop takes far less than that.
  expect(stack.sandbox.calls.count('currencies')).toBeLessThanOrEqual(2);
  expect(stack.sandbox.calls.count()).toBeLessThanOrEqual(4);
});
