/**
 * Memory as a gateway process retains it: start the process with GC_PROBE_OPTIONS, then
 * `collectedIn(gateway)` makes it collect garbage fully and report (./gc-probe.cjs).
 */
import { expect } from 'vitest';
import { productionRuntime } from '../../scripts/production-runtime.js';
import type { ProcessStack } from './stack.js';

export const GC_PROBE_OPTIONS = '--expose-gc --require ./test/support/gc-probe.cjs';

export interface Collected {
  heapUsed: number;
  rss: number;
  /** V8's young generation, sized to the allocation rate rather than to what is kept. */
  newSpace: number;
  /** RSS after V8's last-resort collection: young generation shrunk, pooled heap pages unmapped. */
  rssReleased: number;
}

export async function collectedIn(gateway: ProcessStack): Promise<Collected> {
  const probes = () => [...gateway.output().matchAll(/gc-probe (\{.*\})/g)];
  const seen = probes().length;
  process.kill(gateway.pid, 'SIGUSR2');
  await expect.poll(() => probes().length, { timeout: 10_000 }).toBeGreaterThan(seen);
  return JSON.parse(probes().at(-1)![1]!) as Collected;
}

/**
 * A gateway process started as the production image starts it (its ENV but where it listens: a test's gateway takes
 * a free loopback port; and its node flags), with the probe loaded.
 */
export function productionProbeEnv(): Record<string, string> {
  const { env, nodeFlags } = productionRuntime();
  const { HOST: _host, PORT: _port, ...runtimeEnv } = env;
  return { ...runtimeEnv, NODE_OPTIONS: [...nodeFlags, GC_PROBE_OPTIONS].join(' ') };
}

/**
 * Three readings: the first as load left the process (its young generation, its heap after a full
 * collection); the RSS kept is the least of the three, as one may catch memory that V8 or glibc is
 * still giving back.
 */
export async function settledIn(gateway: ProcessStack): Promise<Collected> {
  const readings = [await collectedIn(gateway), await collectedIn(gateway), await collectedIn(gateway)];
  return { ...readings[0]!, rssReleased: Math.min(...readings.map((reading) => reading.rssReleased)) };
}
