/**
 * Memory as a gateway process retains it: start the process with GC_PROBE_OPTIONS, then
 * `collectedIn(gateway)` makes it collect garbage fully and report (./gc-probe.cjs).
 */
import { expect } from 'vitest';
import type { GatewayProcess } from './gateway-process.js';

export const GC_PROBE_OPTIONS = '--expose-gc --require ./test/support/gc-probe.cjs';

export interface Collected {
  heapUsed: number;
  rss: number;
  /** V8's young generation, sized to the allocation rate rather than to what is kept. */
  newSpace: number;
  /** RSS after V8's last-resort collection: young generation shrunk, pooled heap pages unmapped. */
  rssReleased: number;
}

export async function collectedIn(gateway: GatewayProcess): Promise<Collected> {
  const probes = () => [...gateway.output().matchAll(/gc-probe (\{.*\})/g)];
  const seen = probes().length;
  process.kill(gateway.pid, 'SIGUSR2');
  await expect.poll(() => probes().length, { timeout: 10_000 }).toBeGreaterThan(seen);
  return JSON.parse(probes().at(-1)![1]!) as Collected;
}
