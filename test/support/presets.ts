/**
 * The callers a preset stack knows (./stack.ts): two clients' keys in `production`, one
 * storefront's key in `front-end`, and the headers that present them.
 */
import type { AppOverrides } from '../../src/app.js';

export const KEY_A = 'client-a-key-0123456789';
export const KEY_B = 'client-b-key-9876543210';
export const AS_A = { authorization: `Bearer ${KEY_A}` };
export const AS_B = { authorization: `Bearer ${KEY_B}` };

/** A storefront's key: every scope, as one front end that pays and follows payments. */
export const FRONT_END_KEY = 'front-end-key-0123456789';
export const AS_FRONT_END = { authorization: `Bearer ${FRONT_END_KEY}` };

/**
 * `development`: the configuration's defaults. `production`: client keys required (KEY_A and
 * KEY_B, every scope), no introspection, no GraphiQL. `front-end`: the same for FRONT_END_KEY,
 * polling KS Pay fast, as the client-library tests expect.
 */
export type Preset = 'development' | 'production' | 'front-end';

const PRODUCTION_MODE = { INTROSPECTION: 'false', GRAPHIQL: 'false' };

export function presetEnv(preset: Preset): Record<string, string> {
  if (preset === 'production') return { GATEWAY_API_KEYS: JSON.stringify({ [KEY_A]: ['*'], [KEY_B]: ['*'] }), ...PRODUCTION_MODE };
  if (preset === 'front-end') return { GATEWAY_API_KEYS: JSON.stringify({ [FRONT_END_KEY]: ['*'] }), ...PRODUCTION_MODE };
  return {};
}

export function presetOverrides(preset: Preset): AppOverrides {
  // The stream of a payment ends when a poll sees the final status; keep the polls close together.
  return preset === 'front-end' ? { live: { poll: { minIntervalMs: 100, maxIntervalMs: 400 } } } : {};
}
