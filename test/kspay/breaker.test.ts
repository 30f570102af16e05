/**
 * The circuit breaker (src/kspay/breaker.ts) on a hand-driven clock: calls admitted
 * before the circuit opened (stragglers) change nothing, whether they succeed or fail;
 * only the probe decides.
 */
import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from '../../src/kspay/breaker.js';

function breakerAt(policy = { failureThreshold: 2, coolDownMs: 100 }) {
  const clock = { now: 0 };
  return { breaker: new CircuitBreaker(policy, () => clock.now), clock };
}

/** Admits `count` calls while closed and then opens the circuit with two failures of its own. */
function openWithStragglers(count: number) {
  const { breaker, clock } = breakerAt();
  const stragglers = Array.from({ length: count }, () => breaker.tryAdmit()!);
  const [a, b] = [breaker.tryAdmit()!, breaker.tryAdmit()!];
  breaker.recordFailure(a);
  breaker.recordFailure(b);
  expect(breaker.state).toBe('open');
  return { breaker, clock, stragglers };
}

describe('circuit breaker stragglers', () => {
  it('a straggler that succeeds while open does not close the circuit', () => {
    const { breaker, stragglers } = openWithStragglers(1);
    breaker.recordSuccess(stragglers[0]!);
    expect(breaker.state).toBe('open');
    expect(breaker.tryAdmit()).toBeFalsy();
  });

  it('a straggler that fails while open does not restart the cool-down', () => {
    const { breaker, clock, stragglers } = openWithStragglers(1);
    clock.now = 60;
    breaker.recordFailure(stragglers[0]!);
    clock.now = 100;
    expect(breaker.state).toBe('half-open');
  });

  it('while the probe runs, a straggler neither closes nor reopens the circuit', () => {
    const { breaker, clock, stragglers } = openWithStragglers(2);
    clock.now = 100;
    const probe = breaker.tryAdmit();
    expect(probe).toBeTruthy();
    breaker.recordSuccess(stragglers[0]!);
    expect(breaker.state).toBe('half-open');
    expect(breaker.tryAdmit()).toBeFalsy(); // still one probe at a time
    breaker.recordFailure(stragglers[1]!);
    expect(breaker.state).toBe('half-open');
    breaker.recordSuccess(probe!);
    expect(breaker.state).toBe('closed');
  });

  it('after the probe closes the circuit, a straggler failure does not count towards opening it again', () => {
    const { breaker, clock, stragglers } = openWithStragglers(1);
    clock.now = 100;
    breaker.recordSuccess(breaker.tryAdmit()!);
    breaker.recordFailure(stragglers[0]!);
    breaker.recordFailure(breaker.tryAdmit()!);
    expect(breaker.state).toBe('closed'); // one failure of this spell, threshold two
    breaker.recordFailure(breaker.tryAdmit()!);
    expect(breaker.state).toBe('open');
  });

  it('a failed probe reopens the circuit for a new cool-down', () => {
    const { breaker, clock } = openWithStragglers(0);
    clock.now = 100;
    breaker.recordFailure(breaker.tryAdmit()!);
    expect(breaker.state).toBe('open');
    clock.now = 199;
    expect(breaker.tryAdmit()).toBeFalsy();
    clock.now = 200;
    expect(breaker.tryAdmit()).toBeTruthy();
  });
});
