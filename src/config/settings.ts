/**
 * One environment variable's definition: its name, the section of the configuration it
 * fills, what it means and its default. The parsers read variables through these
 * definitions, and docs/configuration.md is printed from the same definitions
 * (scripts/config-reference.ts), so the reference cannot drift from the code.
 */
import type { z } from 'zod';
import { plainMessages, problem, shapeOf } from './problems.js';

export type Env = Record<string, string | undefined>;

/** The reference's sections, in its order; `tools` are read by npm scripts, not by the gateway. */
export const SECTIONS = {
  kspay: 'KS Pay upstream',
  auth: 'Client authentication',
  server: 'Listening, browsers and connections',
  redis: 'Shared state (Redis)',
  cache: 'Catalog cache',
  payments: 'Payments',
  documents: 'Documents and schema access',
  limits: 'Request limits',
  live: 'Subscriptions and WebSockets',
  webhooks: 'Webhooks',
  observability: 'Logs and traces',
  tools: 'The sandbox and the test runner (npm scripts, not the gateway)',
} as const;

export type SectionName = keyof typeof SECTIONS;

export interface Setting<T> {
  name: string;
  section: SectionName;
  /** One or two sentences for the reference. */
  meaning: string;
  /** The value used when the variable is unset (or empty). */
  fallback: T;
  /** The default as the reference shows it, when the value alone would not say it. */
  shown?: string;
}

export function setting<T>(section: SectionName, name: string, fallback: T, meaning: string, shown?: string): Setting<T> {
  return Object.freeze({ section, name, fallback, meaning, ...(shown === undefined ? {} : { shown }) });
}

/** An empty variable counts as unset. */
export function read(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

/**
 * Reports a value `schema` refuses in plain words (never zod's) with the value's shape, and
 * goes on with the default. `fallback` replaces the definition's default where it depends
 * on other settings (GRAPHIQL: on with the built-in sandbox).
 */
export function parseWith<T>(env: Env, definition: Setting<T>, schema: z.ZodType<T>, fallback: T = definition.fallback): T {
  const { name } = definition;
  const raw = read(env, name);
  if (raw === undefined) return fallback;
  const result = schema.safeParse(raw, { error: plainMessages });
  if (!result.success) return problem(env, name, `${result.error.issues[0]?.message ?? 'is not a valid value'} (${shapeOf(name, raw)})`, fallback);
  return result.data;
}
