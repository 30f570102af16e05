/**
 * Environment → typed, frozen configuration, parsed once. Every bad or missing variable is
 * reported together, one line each naming the variable, the rule and the value's shape
 * (ConfigError, src/config/problems.ts).
 *
 * A new variable is registered by reading it here, through `read` or `parseWith`, on every
 * parse (not behind an `if`): the names read are the names known, and a set variable with
 * one of our prefixes that is not among them stops start-up as a typo (src/config/names.ts).
 */
import { isIP } from 'node:net';
import { z } from 'zod';
import { parseRedirectHost, type RedirectHosts } from './payments/redirect-url.js';
import { parseApiKeyTable } from './config/api-keys.js';
import { builtInSandboxRefusals, CREDENTIAL_VARIABLES } from './config/built-in-sandbox.js';
import { weakness } from './config/key-strength.js';
import { unknownVariables } from './config/names.js';
import { ConfigError, plainMessages, problem, shapeOf, trackedEnv } from './config/problems.js';
import { upstreamTimings, type UpstreamTimings } from './config/upstream-timings.js';

export { ConfigError } from './config/problems.js';
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
  /** REDIS_CLUSTER_NODES: seeds of a Redis Cluster (`host:port` or redis(s):// URLs). */
  redisClusterNodes: readonly string[] | null;
  /** REDIS_SENTINELS and REDIS_SENTINEL_NAME: the sentinels and the name of the primary they watch. */
  redisSentinels: readonly string[] | null;
  redisSentinelName: string | null;
  /** REDIS_PASSWORD: for whichever Redis is configured (a URL's userinfo works too). */
  redisPassword: string | null;
  /** REDIS_ACCEPT_DATA_LOSS: start on a Redis without an append-only file (src/stores/redis-persistence.ts). */
  redisAcceptDataLoss: boolean;
  catalogTtlMs: number;
  /** How long a stale catalog entry may still be served while the upstream fails. */
  catalogMaxStaleMs: number;
  /** KSPAY_TIMEOUT_MS and what is derived from it, each named (src/config/upstream-timings.ts). */
  kspayTimings: UpstreamTimings;
  /** The largest KS Pay response body the gateway reads. */
  kspayMaxResponseBytes: number;
  idempotencyTtlMs: number;
  /** Live idempotency records the in-process store may hold (not used with Redis). */
  idempotencyMaxRecords: number;
  /** SETTLED_CACHE_MAX_BYTES: the in-process bound of settled transactions kept (src/reads/settled-transactions.ts). */
  settledCacheMaxBytes: number;
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
  /** Open subscriptions one API key may hold at once; null (the default): no cap per key. */
  maxSubscriptionsPerKey: number | null;
  /** Open subscriptions one client address may hold at once. */
  maxSubscriptionsPerAddress: number;
  /** Open subscriptions on this instance, all clients together. */
  maxSubscriptions: number;
  /** Open connections (HTTP and WebSocket): per client address, in all, and whose X-Forwarded-For is believed. */
  connections: { maxPerAddress: number; maxTotal: number; trustedProxies: readonly string[] };
  /** Open WebSockets one client address may hold (its forwarded address behind a trusted proxy). */
  maxWebSocketsPerAddress: number;
  /** A WebSocket with no operation running and no message (or ping) from its client for this long is closed. */
  websocketIdleMs: number;
  webhooks: WebhookConfig;
  /** The reconciliation report's caps (src/reconciliation/window.ts). */
  reconciliation: { maxWindowMs: number; maxRows: number };
  /** On SIGTERM, how long requests, streams and webhook attempts in flight may take to finish. */
  shutdownDrainMs: number;
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

/** What one request may ask for; enforced in src/plugins/use-query-limits.ts, src/http/front-door.ts (body size) and src/yoga.ts. */
export interface RequestLimits {
  maxDepth: number;
  maxAliases: number;
  maxDirectives: number;
  maxTokens: number;
  maxCost: number;
  maxBodyBytes: number;
  /** The largest GraphQL document text parsed (comments and whitespace count). */
  maxDocumentBytes: number;
  /** Operations per batched (JSON array) request; 0 turns batching off. */
  batchLimit: number;
}

type Env = Record<string, string | undefined>;

/** An empty variable counts as unset. */
function read(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

/** Reports a value `schema` refuses in plain words (never zod's) with the value's shape, and goes on with `fallback`. */
function parseWith<T>(env: Env, name: string, schema: z.ZodType<T>, fallback: T): T {
  const raw = read(env, name);
  if (raw === undefined) return fallback;
  const result = schema.safeParse(raw, { error: plainMessages });
  if (!result.success) return problem(env, name, `${result.error.issues[0]?.message ?? 'is not a valid value'} (${shapeOf(name, raw)})`, fallback);
  return result.data;
}

/** A whole number within `min`…`max`, refused with the one rule whatever is wrong with it. */
function wholeNumber(rule: string, min: number, max = Number.MAX_SAFE_INTEGER) {
  return z.coerce.number({ error: rule }).int(rule).min(min, rule).max(max, rule);
}

const port = wholeNumber('must be a port number from 0 to 65535', 0, 65535);
const milliseconds = wholeNumber('must be a positive whole number of milliseconds', 1);
const flag = z.enum(['true', 'false', '1', '0', 'on', 'off']).transform((v) => ['true', '1', 'on'].includes(v));

const count = wholeNumber('must be a positive whole number', 1);
const ORIGIN_ERROR = 'each origin must be an http(s) origin such as https://shop.example (no path or query)';
/** Kept as browsers send an Origin (`https://shop.example`, lower case, no slash), or it would never match one. */
const origins = z
  .string()
  .transform((raw) =>
    raw
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
  )
  .pipe(
    z.array(
      z
        .url({ protocol: /^https?$/, error: ORIGIN_ERROR })
        .refine(isBareOrigin, ORIGIN_ERROR)
        .transform((url) => new URL(url).origin),
    ),
  );

function isBareOrigin(text: string): boolean {
  const url = URL.parse(text);
  return url !== null && url.pathname === '/' && !url.search && !url.hash && !url.username && !url.password;
}

const headerNames = z
  .string()
  .transform((raw) =>
    raw
      .split(',')
      .map((name) => name.trim().toLowerCase())
      .filter(Boolean),
  )
  .pipe(z.array(z.string().regex(/^[a-z0-9!#$%&'*+.^_`|~-]+$/, 'each entry must be an HTTP header name')));

const RANGE_ERROR = 'each entry must be an IP address or a CIDR range, such as 10.0.0.0/8 or fd00::/8';
/** TRUSTED_PROXIES: IP addresses and CIDR ranges. */
const addressRanges = z
  .string()
  .transform((raw) =>
    raw
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.string().refine(isAddressRange, RANGE_ERROR)).min(1, 'has no addresses'));

function isAddressRange(entry: string): boolean {
  const [address = '', prefix, ...rest] = entry.split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return false;
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128));
}

const paths = z.string().transform((raw) =>
  raw
    .split(',')
    .map((path) => path.trim())
    .filter(Boolean),
);

/** The example app's manifest (relative to the working directory), so `npm start` runs its documents. */
export const EXAMPLE_MANIFEST = 'examples/gql/persisted-documents.json';

const GRANTS: readonly string[] = [...SCOPES, '*'];

function parseApiKeys(env: Env): Config['apiKeys'] {
  const raw = read(env, 'GATEWAY_API_KEYS');
  if (raw === undefined) return null;
  const parsed = parseApiKeyTable(raw, GRANTS);
  if ('problems' in parsed) {
    for (const reason of parsed.problems) problem(env, 'GATEWAY_API_KEYS', reason, null);
    return null;
  }
  return parsed.keys as Map<string, ScopeGrant[]>;
}

function parseRedirectHosts(env: Env): RedirectHosts {
  const raw = read(env, 'REDIRECT_HOSTS');
  if (raw === undefined) return null;
  const hosts = new Set<string>();
  for (const entry of raw
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const host = parseRedirectHost(entry);
    if (!host) return problem(env, 'REDIRECT_HOSTS', `"${entry}" is not a host name with an optional port, such as shop.example or shop.example:8443`, null);
    hosts.add(host);
  }
  if (hosts.size === 0) return problem(env, 'REDIRECT_HOSTS', 'has no hosts', null);
  return hosts;
}

function parseBaseUrl(env: Env): string | null {
  const raw = read(env, 'KSPAY_BASE_URL');
  if (raw === undefined) return null;
  if (raw === 'sandbox' || raw === 'live') return KSPAY_HOSTS[raw];
  const url = URL.parse(raw);
  if (url?.protocol !== 'http:' && url?.protocol !== 'https:') {
    // Not null: a value was given, so the built-in sandbox must not start in its place.
    return problem(env, 'KSPAY_BASE_URL', `must be an http(s) URL, 'sandbox' or 'live' (${shapeOf('KSPAY_BASE_URL', raw)})`, raw);
  }
  return raw.replace(/\/+$/, '');
}

/** The built-in sandbox uses its own demo app: credentials given with it are refused in loadConfig. */
function parseCredentials(env: Env, usesBuiltInSandbox: boolean): Config['credentials'] {
  const [appId, accessKey, secretKey] = CREDENTIAL_VARIABLES.map((name) => read(env, name));
  if (usesBuiltInSandbox) return null;
  if (!appId && !accessKey && !secretKey) {
    return problem(
      env,
      'KSPAY_APP_ID',
      'merchant credentials (KSPAY_APP_ID, KSPAY_ACCESS_KEY, KSPAY_SECRET_KEY) are required when KSPAY_BASE_URL is set',
      null,
    );
  }
  const missing = CREDENTIAL_VARIABLES.filter((name) => !read(env, name));
  for (const name of missing) problem(env, name, 'is required when any KS Pay credential is set', null);
  if (appId && !/^ap_[A-Za-z0-9]{9}$/.test(appId)) {
    problem(env, 'KSPAY_APP_ID', `must be 'ap_' and 9 letters or digits, 12 characters in all, such as ap_DemoApp01 (${shapeOf('KSPAY_APP_ID', appId)})`, null);
  }
  if (!appId || !accessKey || !secretKey) return null;
  return { appId, accessKey, secretKey };
}

const webhookUrls = z
  .string()
  .transform((raw) =>
    raw
      .split(',')
      .map((url) => url.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.url({ protocol: /^https?$/, error: 'each entry must be an http(s) URL such as https://shop.example/webhooks' })).min(1, 'has no URLs'));

/** Comma-separated: `whsec_<base64>` (Standard Webhooks) or, as before, any string of 16+ characters. */
const webhookSecrets = z
  .string()
  .transform((raw) =>
    raw
      .split(',')
      .map((secret) => secret.trim())
      .filter(Boolean),
  )
  .pipe(
    z
      .array(
        z
          .string()
          .min(16, 'each secret must be at least 16 characters')
          .refine(
            (secret) => !secret.startsWith('whsec_') || isValidStandardSecret(secret),
            "a 'whsec_' secret must be base64 of 24 to 64 bytes after the prefix",
          ),
      )
      .min(1, 'has no secrets'),
  );

function parseWebhooks(env: Env): WebhookConfig {
  const urls = parseWith(env, 'WEBHOOK_URL', webhookUrls, []);
  const secrets = parseWith(env, 'WEBHOOK_SECRET', webhookSecrets, []);
  for (const secret of secrets) {
    const weak = weakness(secret);
    if (weak) problem(env, 'WEBHOOK_SECRET', `${weak} (${shapeOf('WEBHOOK_SECRET', secret)})`, null);
  }
  if (urls.length > 0 && read(env, 'WEBHOOK_SECRET') === undefined)
    problem(env, 'WEBHOOK_SECRET', 'is required when WEBHOOK_URL is set (it signs every event)', null);
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

const redisSeeds = z
  .string()
  .transform((raw) =>
    raw
      .split(',')
      .map((seed) => seed.trim())
      .filter(Boolean),
  )
  .pipe(
    z
      .array(z.string().regex(/^(rediss?:\/\/([^@/]*@)?)?[^\s/@]+:\d{1,5}$/, 'must be comma-separated host:port pairs'))
      .min(1, 'must name at least one host:port'),
  );

/** One Redis, a Cluster or a Sentinel-watched primary: at most one of the three. */
function parseRedisTopology(env: Env) {
  const redisUrl = parseWith(env, 'REDIS_URL', z.string().regex(/^rediss?:\/\//, 'must be a redis:// URL'), null);
  const redisClusterNodes = parseWith(env, 'REDIS_CLUSTER_NODES', redisSeeds, null);
  const redisSentinels = parseWith(env, 'REDIS_SENTINELS', redisSeeds, null);
  const redisSentinelName = parseWith(env, 'REDIS_SENTINEL_NAME', z.string().regex(/^[\w.-]+$/, 'must be the name of the primary the sentinels watch'), null);
  const redisPassword = parseWith(env, 'REDIS_PASSWORD', z.string(), null);
  const named = [redisUrl && 'REDIS_URL', redisClusterNodes && 'REDIS_CLUSTER_NODES', redisSentinels && 'REDIS_SENTINELS'].filter(Boolean);
  if (named.length > 1)
    problem(env, String(named[1]), `cannot be set together with ${named[0]}: set exactly one of REDIS_URL, REDIS_CLUSTER_NODES, REDIS_SENTINELS`, null);
  if (redisSentinels && !redisSentinelName)
    problem(env, 'REDIS_SENTINEL_NAME', 'is required with REDIS_SENTINELS (the name of the primary the sentinels watch)', null);
  if (redisSentinelName && !redisSentinels) problem(env, 'REDIS_SENTINEL_NAME', 'is set but REDIS_SENTINELS is not', null);
  return { redisUrl, redisClusterNodes, redisSentinels, redisSentinelName, redisPassword };
}

export function loadConfig(source: Env = process.env): Readonly<Config> {
  const { env, read: known, problems } = trackedEnv(source);
  let config: Readonly<Config> | null = null;
  try {
    config = parseConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(...error.problems);
  }
  // With what an empty environment reads too, should a thrown ConfigError have cut this parse short.
  problems.push(...unknownVariables(source, new Set([...known, ...knownVariables()])));
  const [first, ...more] = problems;
  if (first) throw new ConfigError(first.variable, first.reason, more);
  return config!;
}

/** Every variable this gateway reads: what .env.example must list. */
export function knownVariables(): ReadonlySet<string> {
  const { env, read: known } = trackedEnv({});
  try {
    parseConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
  }
  return known;
}

function parseConfig(env: Env): Readonly<Config> {
  const kspayBaseUrl = parseBaseUrl(env);
  const usesBuiltInSandbox = kspayBaseUrl === null;
  const apiKeys = parseApiKeys(env);
  const authOff = parseWith(env, 'GATEWAY_AUTH', z.literal('off', "the only accepted value is 'off'"), undefined);

  if (!usesBuiltInSandbox && apiKeys === null && authOff === undefined && read(env, 'GATEWAY_API_KEYS') === undefined) {
    problem(env, 'GATEWAY_API_KEYS', 'is required against a real KS Pay upstream (set GATEWAY_AUTH=off to run without client auth)', null);
  }
  const host = read(env, 'HOST') ?? '127.0.0.1';
  const nodeEnv = read(env, 'NODE_ENV');
  const credentialsSet = CREDENTIAL_VARIABLES.filter((name) => read(env, name) !== undefined);
  // The sandbox's payments are not real, and it has no client auth and GraphiQL on: this machine only, never production.
  if (usesBuiltInSandbox) for (const refusal of builtInSandboxRefusals({ nodeEnv, host, credentialsSet })) problem(env, refusal.variable, refusal.reason, null);
  const catalogTtlMs = parseWith(env, 'CATALOG_TTL_MS', milliseconds, 60_000);

  return Object.freeze({
    port: parseWith(env, 'PORT', port, 4000),
    host,
    metricsPort: parseWith(env, 'METRICS_PORT', port, null),
    kspayBaseUrl,
    credentials: parseCredentials(env, usesBuiltInSandbox),
    apiKeys,
    ...parseRedisTopology(env),
    redisAcceptDataLoss: parseWith(env, 'REDIS_ACCEPT_DATA_LOSS', flag, false),
    catalogTtlMs,
    catalogMaxStaleMs: parseWith(env, 'CATALOG_MAX_STALE_MS', milliseconds, 10 * 60_000),
    kspayTimings: upstreamTimings(parseWith(env, 'KSPAY_TIMEOUT_MS', milliseconds, 10_000)),
    kspayMaxResponseBytes: parseWith(env, 'KSPAY_MAX_RESPONSE_BYTES', count, 4 * 1024 * 1024),
    idempotencyTtlMs: parseWith(
      env,
      'IDEMPOTENCY_TTL_MS',
      wholeNumber('must be at least 24 hours (86400000) in whole milliseconds', 24 * 3_600_000),
      24 * 3_600_000,
    ),
    idempotencyMaxRecords: parseWith(env, 'IDEMPOTENCY_MAX_RECORDS', count, 100_000),
    settledCacheMaxBytes: parseWith(env, 'SETTLED_CACHE_MAX_BYTES', count, 32 * 1024 * 1024),
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
      maxDocumentBytes: parseWith(env, 'MAX_DOCUMENT_BYTES', count, 16 * 1024),
      batchLimit: parseWith(env, 'BATCH_LIMIT', wholeNumber('must be a whole number from 0 to 100', 0, 100), 0),
    }),
    maxSubscriptionsPerKey: parseWith(env, 'MAX_SUBSCRIPTIONS_PER_KEY', count, null),
    maxSubscriptionsPerAddress: parseWith(env, 'MAX_SUBSCRIPTIONS_PER_ADDRESS', count, 100),
    maxSubscriptions: parseWith(env, 'MAX_SUBSCRIPTIONS', count, 10_000),
    connections: Object.freeze({
      // Above the WebSocket cap, so a direct client's extra socket gets its close code rather than a reset.
      maxPerAddress: parseWith(env, 'MAX_CONNECTIONS_PER_ADDRESS', count, 128),
      maxTotal: parseWith(env, 'MAX_CONNECTIONS', count, 10_000),
      trustedProxies: parseWith(env, 'TRUSTED_PROXIES', addressRanges, []),
    }),
    maxWebSocketsPerAddress: parseWith(env, 'MAX_WEBSOCKETS_PER_ADDRESS', count, 100),
    websocketIdleMs: parseWith(env, 'WEBSOCKET_IDLE_MS', milliseconds, 60_000),
    webhooks: parseWebhooks(env),
    reconciliation: Object.freeze({
      maxWindowMs: parseWith(
        env,
        'RECONCILIATION_MAX_WINDOW_MS',
        milliseconds.max(90 * 24 * 3_600_000, 'must be at most 90 days (7776000000)'),
        24 * 3_600_000,
      ),
      maxRows: parseWith(env, 'RECONCILIATION_MAX_ROWS', count.max(100_000, 'must be at most 100000'), 10_000),
    }),
    // Below Kubernetes' default 30 s grace period, with room left to close the stores.
    shutdownDrainMs: parseWith(env, 'SHUTDOWN_DRAIN_MS', milliseconds, 20_000),
  });
}
