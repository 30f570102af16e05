/**
 * The configuration's shape: one section per subsystem, each holding every value that
 * subsystem runs by, set from the environment or defaulted in src/config/ (never in the
 * subsystem itself). docs/configuration.md lists the variables behind each field.
 */
import type { BreakerPolicy } from '../kspay/breaker.js';
import type { RetryPolicy } from '../kspay/retry.js';
import type { LogLevel } from '../observability/logger.js';
import type { PollPolicy } from '../live/transaction-updates.js';
import type { SubscriptionLimits } from '../live/subscription-allowance.js';
import type { RedirectHosts } from '../payments/redirect-url.js';
import type { DeliveryPolicy } from '../webhooks/delivery.js';
import type { SweepPolicy } from '../webhooks/sweep.js';
import type { WatchPolicy } from '../webhooks/watcher.js';
import type { UpstreamTimings } from './upstream-timings.js';

export const SCOPES = ['catalog:read', 'transactions:read', 'transactions:write'] as const;
export type Scope = (typeof SCOPES)[number];
export type ScopeGrant = Scope | '*';

export interface Config {
  kspay: KsPayConfig;
  auth: AuthConfig;
  server: ServerConfig;
  redis: RedisConfig;
  cache: CacheConfig;
  payments: PaymentsConfig;
  documents: DocumentsConfig;
  limits: RequestLimits;
  live: LiveConfig;
  webhooks: WebhookConfig;
  observability: ObservabilityConfig;
}

export interface KsPayConfig {
  /** Null: start the built-in sandbox in-process and use it. */
  baseUrl: string | null;
  /** Null with the built-in sandbox: its demo app's credentials are used. */
  credentials: { appId: string; accessKey: string; secretKey: string } | null;
  /** KSPAY_TIMEOUT_MS and what is derived from it, each named (src/config/upstream-timings.ts). */
  timings: UpstreamTimings;
  /** The largest KS Pay response body the gateway reads. */
  maxResponseBytes: number;
  /** Read retries (their budget is `timings.readRetryBudgetMs`) and the circuit breaker. */
  retry: RetryPolicy;
  breaker: BreakerPolicy;
  /** Access tokens: renewed this long before they expire, and assumed to live this long (the contract does not say). */
  tokenRefreshMarginMs: number;
  accessTokenLifetimeMs: number;
}

export interface AuthConfig {
  /** Client API key → granted scopes; null when client auth is off. */
  apiKeys: ReadonlyMap<string, readonly ScopeGrant[]> | null;
}

export interface ServerConfig {
  host: string;
  port: number;
  /** METRICS_PORT: serve /metrics on this port (on `host`) and not on `port`; null: /metrics on `port`. */
  metricsPort: number | null;
  graphiql: boolean;
  cors: {
    /** Origins allowed to call from a browser; empty: no cross-origin access. */
    origins: readonly string[];
    /** Request headers browsers may send beside the ones the common GraphQL clients use. */
    allowHeaders: readonly string[];
  };
  /** Open connections (HTTP and WebSocket): per client address, in all, and whose X-Forwarded-For is believed. */
  connections: { maxPerAddress: number; maxTotal: number; trustedProxies: readonly string[] };
  /** How long a slow client may take (src/config/tuning.ts says why these values). */
  timeouts: ServerTimeouts;
  /** On SIGTERM, how long requests, streams and webhook attempts in flight may take to finish. */
  shutdownDrainMs: number;
}

export interface ServerTimeouts {
  /** A new connection's first byte. */
  firstByteMs: number;
  headersMs: number;
  requestMs: number;
  keepAliveMs: number;
}

export interface RedisConfig {
  /** REDIS_URL: one Redis; at most one of url, clusterNodes and sentinels is set. */
  url: string | null;
  /** REDIS_CLUSTER_NODES: seeds of a Redis Cluster (`host:port` or redis(s):// URLs). */
  clusterNodes: readonly string[] | null;
  /** REDIS_SENTINELS and REDIS_SENTINEL_NAME: the sentinels and the name of the primary they watch. */
  sentinels: readonly string[] | null;
  sentinelName: string | null;
  /** For whichever Redis is configured (a URL's userinfo works too). */
  password: string | null;
  /** Start on a Redis without an append-only file (src/stores/redis-persistence.ts). */
  acceptDataLoss: boolean;
}

export interface CacheConfig {
  catalogTtlMs: number;
  /** How long a stale catalog entry may still be served while the upstream fails. */
  catalogMaxStaleMs: number;
  /** With Redis, how fresh the in-process level in front of it is kept. */
  localCatalogTtlWithRedisMs: number;
  /** SETTLED_CACHE_MAX_BYTES: the in-process bound of settled transactions kept (src/reads/settled-transactions.ts). */
  settledMaxBytes: number;
}

export interface PaymentsConfig {
  idempotencyTtlMs: number;
  /** Live idempotency records the in-process store may hold (not used with Redis). */
  idempotencyMaxRecords: number;
  /** Hosts a payment's redirectUrl may point to; null: any https host, http only on localhost. */
  redirectHosts: RedirectHosts;
  /** The reconciliation report's caps (src/reconciliation/window.ts). */
  reconciliation: { maxWindowMs: number; maxRows: number };
}

export interface DocumentsConfig {
  persistedOperations: 'off' | 'allow' | 'only';
  /** Manifest files of trusted documents (codegen's persisted-documents.json), read at start-up. */
  trustedDocuments: readonly string[];
  introspection: boolean;
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

export interface LiveConfig {
  /** Open subscriptions per client address, on this instance in all, and per API key (null: no cap per key). */
  subscriptions: SubscriptionLimits;
  /** Open WebSockets per client address; a WebSocket idle this long (no operation, no message) is closed. */
  websockets: { maxPerAddress: number; idleMs: number };
  /** How often a watched transaction is polled for subscriptions. */
  poll: PollPolicy;
}

/** Signed webhooks and the settlement watcher (src/webhooks/); off while `urls` is empty. */
export interface WebhookConfig {
  /** WEBHOOK_URL: where every event is POSTed. */
  urls: readonly string[];
  /** WEBHOOK_SECRET: the signing secrets, comma-separated (several during a rotation); required with WEBHOOK_URL. */
  secrets: readonly string[];
  /** How long INITIATED or PROCESSING may last before transactionsNeedingAttention lists it. */
  attentionAfterMs: number;
  watch: WatchPolicy;
  delivery: DeliveryPolicy;
  /** The reconciling sweep (src/webhooks/sweep.ts). */
  sweep: SweepPolicy;
}

export interface ObservabilityConfig {
  logLevel: LogLevel;
  /** How long a /health/dependencies answer is reused. */
  dependencyCheckCacheMs: number;
}
