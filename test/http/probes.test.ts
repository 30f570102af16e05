/**
 * Finding 6, the probes: `GET /readyz` needs no key, and each hit cost an upstream call.
 * Readiness now reports this instance only (no upstream call at all); the dependency
 * checks of /health/dependencies are cached for a few seconds and run single-flight, and a
 * scrape of /metrics never calls KS Pay (its gauge shows the last state known).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../support/stack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ preset: 'production' });
});
afterAll(() => stack.close());

describe('an orchestrator probing hard', () => {
  it('answers 100 readiness probes, 20 at a time, with no upstream call', async () => {
    stack.sandbox.calls.reset();
    for (let round = 0; round < 5; round++) {
      const answers = await Promise.all(Array.from({ length: 20 }, () => fetch(`${stack.url}/readyz`)));
      expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
    }
    expect(stack.sandbox.calls.count()).toBe(0);
  });

  it('answers 100 dependency probes, 20 at a time, with at most a handful of upstream calls', async () => {
    stack.sandbox.calls.reset();
    for (let round = 0; round < 5; round++) {
      const answers = await Promise.all(Array.from({ length: 20 }, () => fetch(`${stack.url}/health/dependencies`)));
      expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
    }
    // One check (a token and the currency list) per 5 s interval; the loop takes far less than that.
    expect(stack.sandbox.calls.count('currencies')).toBeLessThanOrEqual(2);
    expect(stack.sandbox.calls.count()).toBeLessThanOrEqual(4);
  });

  it('answers 100 scrapes of /metrics, dependency gauges included, with no upstream call', async () => {
    await fetch(`${stack.url}/health/dependencies`); // KS Pay's state known
    stack.sandbox.calls.reset();
    for (let round = 0; round < 5; round++) {
      const answers = await Promise.all(Array.from({ length: 20 }, () => fetch(`${stack.url}/metrics`)));
      expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
    }
    expect(await (await fetch(`${stack.url}/metrics`)).text()).toMatch(/kspay_gateway_dependency_up\{dependency="kspay"\} 1/);
    expect(stack.sandbox.calls.count()).toBe(0);
  });
});
