/**
 * Environment → typed, frozen configuration, parsed once. A bad or missing variable
 * stops start-up with one line naming the variable and why (ConfigError).
 */
import { z } from 'zod';
import { parseRedirectHost, type RedirectHosts } from './payments/redirect-url.js';
import { isValidStandardSecret } from './webhooks/signing.js';

export const KSPAY_HOSTS = {
  sandbox: 'https://pay-open-sandboxapi.kalp.studio',
  live: 'https://pay-open-liveapi.kalp.studio',
} as const;

export const SCOPES = ['catalog:read', 'transactions:read', 'transactions:write'] as const;
export type Scope = (typeof SCOPES)[number];
export type ScopeGrant = Scope | '*';

export interface Config {
  port: number;
  host: string;
  /** METRICS_PORT: serve /metrics on this port (on `host`) and not on `port`; null: /metrics on `port`. */
  metricsPort: number | null;
  /** Null: start the built-in sandbox in-process and use it. */
  kspayBaseUrl: string | null;
  /** Null with the built-in sandbox: its demo app's credentials are used. */
  credentials: { appId: string; accessKey: string; secretKey: string } | null;
  /** Client API key → granted scopes; null when client auth is off. */
  apiKeys: ReadonlyMap<string, readonly ScopeGrant[]> | null;
  redisUrl: string | null;
  catalogTtlMs: number;
  /** How long a stale catalog entry may still be served while the upstream fails. */
  catalogMaxStaleMs: number;
  kspayTimeoutMs: number;
  /** The largest KS Pay response body the gateway reads. */
  kspayMaxResponseBytes: number;
  idempotencyTtlMs: number;
  /** Live idempotency records the in-process store may hold (not used with Redis). */
  idempotencyMaxRecords: number;
  /** Hosts a payment's redirectUrl may point to; null: any https host, http only on localhost. */
  redirectHosts: RedirectHosts;
  graphiql: boolean;
  introspection: boolean;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Origins allowed to call from a browser; empty: no cross-origin access. */
  corsOrigins: readonly string[];
  /** Request headers browsers may send beside the ones the common GraphQL clients use. */
  corsAllowHeaders: readonly string[];
  persistedOperations: 'off' | 'allow' | 'only';
  /** Manifest files of trusted documents (codegen's persisted-documents.json), read at start-up. */
  trustedDocuments: readonly string[];
  limits: RequestLimits;
  /** Open subscriptions one API key may hold at once (all clients together when auth is off). */
  maxSubscriptionsPerKey: number;
  webhooks: WebhookConfig;
}

/** Signed webhooks and the settlement watcher (src/webhooks/); off while `urls` is empty. */
export interface WebhookConfig {
  /** WEBHOOK_URL: where every event is POSTed. */
  urls: readonly string[];
  /** WEBHOOK_SECRET: the signing secrets, comma-separated (several during a rotation); required with WEBHOOK_URL. */
  secrets: readonly string[];
  /** How long after an event its delivery is retried. */
  retryMs: number;
  /** One delivery attempt's time limit. */
  timeoutMs: number;
  /** How long a transaction is followed at most. */
  settlementWatchMs: number;
  /** How long INITIATED or PROCESSING may last before transactionsNeedingAttention lists it. */
  attentionAfterMs: number;
  /** The reconciling sweep (src/webhooks/sweep.ts): how often, how far back, how many list reads at most. */
  sweepIntervalMs: number;
  sweepWindowMs: number;
  sweepMaxPages: number;
}

/** What one request may ask for; enforced in src/plugins/query-limits.ts, src/http/front-door.ts (body size) and src/yoga.ts. */
export interface RequestLimits {
  maxDepth: number;
  maxAliases: number;
  maxDirectives: number;
  maxTokens: number;
  maxCost: number;
  maxBodyBytes: number;
  /** Operations per batched (JSON array) request; 0 turns batching off. */
  batchLimit: number;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    reason: string,
  ) {
    super(`${variable}: ${reason}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

/** An empty variable counts as unset. */
function read(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

function parseWith<T>(env: Env, name: string, schema: z.ZodType<T>, fallback: T): T {
  const raw = read(env, name);
  if (raw === undefined) return fallback;
  const result = schema.safeParse(raw);
  if (!result.success) throw new ConfigError(name, result.error.issues[0]?.message ?? 'invalid value');
  return result.data;
}

const port = z.coerce.number().int().min(0).max(65535);
const milliseconds = z.coerce.number().int().positive('must be a positive whole number of milliseconds');
const flag = z.enum(['true', 'false', '1', '0', 'on', 'off']).transform((v) => ['true', '1', 'on'].includes(v));

const count = z.coerce.number().int().positive('must be a positive whole number');
const ORIGIN_ERROR = 'each origin must be an http(s) origin such as https://shop.example (no path or query)';
/** Kept as browsers send an Origin (`https://shop.example`, lower case, no slash), or it would never match one. */
const origins = z
  .string()
  .transform((raw) => raw.split(',').map((origin) => origin.trim()).filter(Boolean))
  .pipe(z.array(z.url({ protocol: /^https?$/, error: ORIGIN_ERROR }).refine(isBareOrigin, ORIGIN_ERROR).transform((url) => new URL(url).origin)));

function isBareOrigin(text: string): boolean {
  const url = URL.parse(text);
  return url !== null && url.pathname === '/' && !url.search && !url.hash && !url.username && !url.password;
}

const headerNames = z
  .string()
  .transform((raw) => raw.split(',').map((name) => name.trim().toLowerCase()).filter(Boolean))
  .pipe(z.array(z.string().regex(/^[a-z0-9!#$%&'*+.^_`|~-]+$/, 'each entry must be an HTTP header name')));

const paths = z.string().transform((raw) => raw.split(',').map((path) => path.trim()).filter(Boolean));

/** The example app's manifest (relative to the working directory), so `npm start` runs its documents. */
export const EXAMPLE_MANIFEST = 'examples/gql/persisted-documents.json';

/** Loopback hosts: reachable from this machine only. */
function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
}

const apiKeysSchema = z.record(
  z.string().min(16, 'each API key must be at least 16 characters'),
  z.array(z.enum([...SCOPES, '*'])).min(1, 'each API key needs at least one scope'),
);

function parseApiKeys(env: Env): Config['apiKeys'] {
  const raw = read(env, 'GATEWAY_API_KEYS');
  if (raw === undefined) return null;
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new ConfigError('GATEWAY_API_KEYS', 'must be a JSON object of API key → list of scopes');
  }
  const result = apiKeysSchema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new ConfigError('GATEWAY_API_KEYS', issue?.message ?? 'invalid value');
  }
  if (Object.keys(result.data).length === 0) throw new ConfigError('GATEWAY_API_KEYS', 'has no keys');
  return new Map(Object.entries(result.data));
}

function parseRedirectHosts(env: Env): RedirectHosts {
  const raw = read(env, 'REDIRECT_HOSTS');
  if (raw === undefined) return null;
  const hosts = new Set<string>();
  for (const entry of raw.split(',').map((e) => e.trim()).filter(Boolean)) {
    const host = parseRedirectHost(entry);
    if (!host) throw new ConfigError('REDIRECT_HOSTS', `"${entry}" is not a host name with an optional port, such as shop.example or shop.example:8443`);
    hosts.add(host);
  }
  if (hosts.size === 0) throw new ConfigError('REDIRECT_HOSTS', 'has no hosts');
  return hosts;
}

function parseBaseUrl(env: Env): string | null {
  const raw = read(env, 'KSPAY_BASE_URL');
  if (raw === undefined) return null;
  if (raw === 'sandbox' || raw === 'live') return KSPAY_HOSTS[raw];
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('KSPAY_BASE_URL', "must be an http(s) URL, 'sandbox' or 'live'");
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError('KSPAY_BASE_URL', "must be an http(s) URL, 'sandbox' or 'live'");
  }
  return raw.replace(/\/+$/, '');
}

function parseCredentials(env: Env, usesBuiltInSandbox: boolean): Config['credentials'] {
  const names = ['KSPAY_APP_ID', 'KSPAY_ACCESS_KEY', 'KSPAY_SECRET_KEY'] as const;
  const [appId, accessKey, secretKey] = names.map((name) => read(env, name));
  if (!appId && !accessKey && !secretKey) {
    if (usesBuiltInSandbox) return null;
    throw new ConfigError('KSPAY_APP_ID', 'merchant credentials are required when KSPAY_BASE_URL is set');
  }
  const missing = names.find((name) => !read(env, name));
  if (missing) throw new ConfigError(missing, 'is required when any KS Pay credential is set');
  if (!/^ap_[A-Za-z0-9]{9}$/.test(appId!)) {
    throw new ConfigError('KSPAY_APP_ID', "must start with 'ap_' and be 12 characters long");
  }
  return { appId: appId!, accessKey: accessKey!, secretKey: secretKey! };
}

const webhookUrls = z
  .string()
  .transform((raw) => raw.split(',').map((url) => url.trim()).filter(Boolean))
  .pipe(z.array(z.url({ protocol: /^https?$/, error: 'each entry must be an http(s) URL such as https://shop.example/webhooks' })).min(1, 'has no URLs'));

/** Comma-separated: `whsec_<base64>` (Standard Webhooks) or, as before, any string of 16+ characters. */
const webhookSecrets = z
  .string()
  .transform((raw) => raw.split(',').map((secret) => secret.trim()).filter(Boolean))
  .pipe(
    z
      .array(
        z
          .string()
          .min(16, 'each secret must be at least 16 characters')
          .refine((secret) => !secret.startsWith('whsec_') || isValidStandardSecret(secret), "a 'whsec_' secret must be base64 of 24 to 64 bytes after the prefix"),
      )
      .min(1, 'has no secrets'),
  );

function parseWebhooks(env: Env): WebhookConfig {
  const urls = parseWith(env, 'WEBHOOK_URL', webhookUrls, []);
  const secrets = parseWith(env, 'WEBHOOK_SECRET', webhookSecrets, []);
  if (urls.length > 0 && secrets.length === 0) throw new ConfigError('WEBHOOK_SECRET', 'is required when WEBHOOK_URL is set (it signs every event)');
  return Object.freeze({
    urls,
    secrets,
    retryMs: parseWith(env, 'WEBHOOK_RETRY_MS', milliseconds, 3 * 24 * 3_600_000),
    timeoutMs: parseWith(env, 'WEBHOOK_TIMEOUT_MS', milliseconds, 10_000),
    settlementWatchMs: parseWith(env, 'SETTLEMENT_WATCH_MS', milliseconds, 24 * 3_600_000),
    attentionAfterMs: parseWith(env, 'ATTENTION_AFTER_MS', milliseconds, 3_600_000),
    sweepIntervalMs: parseWith(env, 'WEBHOOK_SWEEP_INTERVAL_MS', milliseconds.min(1_000, 'must be at least 1000'), 300_000),
    // KS Pay refuses a date range over 90 days.
    sweepWindowMs: parseWith(env, 'WEBHOOK_SWEEP_WINDOW_MS', milliseconds.max(90 * 24 * 3_600_000, 'must be at most 90 days (7776000000)'), 24 * 3_600_000),
    sweepMaxPages: parseWith(env, 'WEBHOOK_SWEEP_MAX_PAGES', count.max(1_000, 'must be at most 1000'), 20),
  });
}

export function loadConfig(env: Env = process.env): Readonly<Config> {
  const kspayBaseUrl = parseBaseUrl(env);
  const usesBuiltInSandbox = kspayBaseUrl === null;
  const apiKeys = parseApiKeys(env);
  const authOff = parseWith(env, 'GATEWAY_AUTH', z.literal('off', "the only accepted value is 'off'"), undefined);

  if (!usesBuiltInSandbox && apiKeys === null && authOff === undefined) {
    throw new ConfigError(
      'GATEWAY_API_KEYS',
      "is required against a real KS Pay upstream (set GATEWAY_AUTH=off to run without client auth)",
    );
  }
  const host = read(env, 'HOST') ?? '127.0.0.1';
  if (usesBuiltInSandbox && apiKeys === null && authOff === undefined && !isLoopback(host)) {
    // The sandbox mode has no client auth and GraphiQL on: fine on this machine, not on a network.
    throw new ConfigError(
      'HOST',
      `${host} is not a loopback address, and the built-in sandbox mode has no client auth ` +
        '(set GATEWAY_API_KEYS, or GATEWAY_AUTH=off to expose it anyway)',
    );
  }
  const catalogTtlMs = parseWith(env, 'CATALOG_TTL_MS', milliseconds, 60_000);

  return Object.freeze({
    port: parseWith(env, 'PORT', port, 4000),
    host,
    metricsPort: parseWith(env, 'METRICS_PORT', port, null),
    kspayBaseUrl,
    credentials: parseCredentials(env, usesBuiltInSandbox),
    apiKeys,
    redisUrl: parseWith(env, 'REDIS_URL', z.string().regex(/^rediss?:\/\//, 'must be a redis:// URL'), null),
    catalogTtlMs,
    catalogMaxStaleMs: parseWith(env, 'CATALOG_MAX_STALE_MS', milliseconds, 10 * 60_000),
    kspayTimeoutMs: parseWith(env, 'KSPAY_TIMEOUT_MS', milliseconds, 10_000),
    kspayMaxResponseBytes: parseWith(env, 'KSPAY_MAX_RESPONSE_BYTES', count, 4 * 1024 * 1024),
    idempotencyTtlMs: parseWith(env, 'IDEMPOTENCY_TTL_MS', z.coerce.number().int().min(24 * 3_600_000, 'must be at least 24 hours (86400000)'), 24 * 3_600_000),
    idempotencyMaxRecords: parseWith(env, 'IDEMPOTENCY_MAX_RECORDS', count, 100_000),
    redirectHosts: parseRedirectHosts(env),
    graphiql: parseWith(env, 'GRAPHIQL', flag, usesBuiltInSandbox),
    introspection: parseWith(env, 'INTROSPECTION', flag, usesBuiltInSandbox),
    logLevel: parseWith(env, 'LOG_LEVEL', z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']), 'info'),
    corsOrigins: parseWith(env, 'CORS_ORIGINS', origins, []),
    corsAllowHeaders: parseWith(env, 'CORS_ALLOW_HEADERS', headerNames, []),
    persistedOperations: parseWith(env, 'PERSISTED_OPERATIONS', z.enum(['off', 'allow', 'only']), 'off'),
    trustedDocuments: parseWith(env, 'TRUSTED_DOCUMENTS', paths, [EXAMPLE_MANIFEST]),
    limits: Object.freeze({
      maxDepth: parseWith(env, 'MAX_DEPTH', count, 10),
      maxAliases: parseWith(env, 'MAX_ALIASES', count, 30),
      maxDirectives: parseWith(env, 'MAX_DIRECTIVES', count, 20),
      maxTokens: parseWith(env, 'MAX_TOKENS', count, 1000),
      maxCost: parseWith(env, 'MAX_COST', count, 5000),
      maxBodyBytes: parseWith(env, 'MAX_BODY_BYTES', count, 64 * 1024),
      batchLimit: parseWith(env, 'BATCH_LIMIT', z.coerce.number().int().min(0).max(100), 0),
    }),
    maxSubscriptionsPerKey: parseWith(env, 'MAX_SUBSCRIPTIONS_PER_KEY', count, 100),
    webhooks: parseWebhooks(env),
  });
}
