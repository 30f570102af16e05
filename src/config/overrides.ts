/**
 * A partial of the configuration, laid over a loaded one: how tests and the benchmark
 * shorten timings (`{ live: { poll: { minIntervalMs: 100 } } }`) without a second set of
 * knobs. Plain objects merge field by field; anything else (arrays, Maps, Sets, null)
 * replaces the value whole.
 */
import type { Config } from './types.js';

export type DeepPartial<T> = T extends ReadonlyMap<unknown, unknown> | ReadonlySet<unknown> | readonly unknown[]
  ? T
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;

export type ConfigOverrides = DeepPartial<Config>;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

function merged(base: unknown, over: unknown): unknown {
  if (over === undefined) return base;
  if (!isPlainObject(base) || !isPlainObject(over)) return over;
  const result: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) result[key] = merged(base[key], value);
  return Object.freeze(result);
}

export function withOverrides(config: Readonly<Config>, overrides: ConfigOverrides = {}): Readonly<Config> {
  return merged(config, overrides) as Readonly<Config>;
}
