/** The soak of bench/soak.ts as a test: 2,000 mixed operations under faults, nothing lost or doubled. */
import { expect, it } from 'vitest';
import { printSoak, runSoak } from '../../bench/soak.js';

// The injected hangs are what must time out; a normal answer must not, even on a busy
// machine, or a merchant's ten retries can all fail and a paid reference look lost.
const UPSTREAM_TIMEOUT_MS = 3000;
// Most of the soak's time is clients waiting out injected hangs and quiet periods, not CPU:
// more clients at once overlap those waits (16, the bench's default, took ~30 s; 48, ~17 s).
const CLIENTS = 48;

it('loses and doubles nothing over 2,000 mixed operations with faults injected', async () => {
  const report = await runSoak({ operations: 2000, concurrency: CLIENTS, upstreamTimeoutMs: UPSTREAM_TIMEOUT_MS });
  printSoak(report);
  expect(report.operations).toBeGreaterThanOrEqual(2000);
  expect(report.duplicatesUpstream).toBe(0);
  expect(report.lostInitiations).toBe(0);
  expect(report.untypedFailures).toBe(0);
  // Faults really were injected and survived.
  expect(report.retriesByClients).toBeGreaterThan(0);
  expect(report.succeeded / report.operations).toBeGreaterThan(0.9);
}, 600_000); // ~20 s on an idle machine; a busy one may take many times that
