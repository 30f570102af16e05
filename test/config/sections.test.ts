/**
 * Issue 21 item 4 and issue 25: one section per subsystem with every default and derived
 * value named in src/config/, overrides as a partial of that configuration, and the
 * reference (docs/configuration.md) printed from the variables' definitions, with a drift check.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { knownVariables, loadConfig, withOverrides } from '../../src/config.js';
import { ALL_VARIABLES, CONFIG_VARIABLES, renderReference } from '../../src/config/reference.js';

const UPSTREAM = {
  KSPAY_BASE_URL: 'https://kspay.example',
  KSPAY_APP_ID: 'ap_DemoApp01',
  KSPAY_ACCESS_KEY: 'an-access-key-of-some-length',
  KSPAY_SECRET_KEY: 'a-secret-key-of-some-length',
  GATEWAY_AUTH: 'off',
};

describe('one section per subsystem', () => {
  it('holds every default of an empty environment, under its section', () => {
    const config = loadConfig({});
    expect(Object.keys(config)).toEqual(['kspay', 'auth', 'server', 'redis', 'cache', 'payments', 'documents', 'limits', 'live', 'webhooks', 'observability']);
    expect(config.kspay).toMatchObject({ baseUrl: null, credentials: null, maxResponseBytes: 4_194_304 });
    expect(config.kspay.retry).toEqual({ maxAttempts: 8, baseDelayMs: 50, maxDelayMs: 1_000, budgetMs: 10_000 });
    expect(config.kspay.breaker).toEqual({ failureThreshold: 10, coolDownMs: 5_000 });
    expect(config.server).toMatchObject({ host: '127.0.0.1', port: 4000, metricsPort: null, graphiql: true, shutdownDrainMs: 20_000 });
    expect(config.server.timeouts).toEqual({ firstByteMs: 5_000, headersMs: 10_000, requestMs: 15_000, keepAliveMs: 5_000 });
    expect(config.server.connections).toEqual({ maxPerAddress: 128, maxTotal: 10_000, trustedProxies: [] });
    expect(config.redis).toEqual({ url: null, clusterNodes: null, sentinels: null, sentinelName: null, password: null, acceptDataLoss: false });
    expect(config.cache).toEqual({ catalogTtlMs: 60_000, catalogMaxStaleMs: 600_000, localCatalogTtlWithRedisMs: 5_000, settledMaxBytes: 32 * 1024 * 1024 });
    expect(config.payments.reconciliation).toEqual({ maxWindowMs: 86_400_000, maxRows: 10_000 });
    expect(config.documents).toEqual({ persistedOperations: 'off', trustedDocuments: ['examples/gql/persisted-documents.json'], introspection: true });
    expect(config.live).toEqual({
      subscriptions: { perKey: null, perAddress: 100, total: 10_000 },
      websockets: { maxPerAddress: 100, idleMs: 60_000 },
      poll: { minIntervalMs: 1_000, maxIntervalMs: 15_000 },
    });
    expect(config.webhooks.watch).toEqual({ tickMs: 1_000, firstPollMs: 2_000, maxPollMs: 300_000, pollsPerTick: 20, watchMs: 86_400_000, lockMs: 20_000 });
    expect(config.webhooks.sweep).toEqual({ intervalMs: 300_000, windowMs: 86_400_000, maxPages: 20, pageSize: 100, lockMs: 20_000 });
    expect(config.observability).toEqual({ logLevel: 'info', dependencyCheckCacheMs: 5_000 });
  });

  it('derives each job of KSPAY_TIMEOUT_MS in one place, and what uses it reads the named job', () => {
    const config = loadConfig({ KSPAY_TIMEOUT_MS: '2000', WEBHOOK_TIMEOUT_MS: '3000' });
    expect(config.kspay.timings).toEqual({
      callTimeoutMs: 2_000,
      readRetryBudgetMs: 2_000,
      quietAfterLostAnswerMs: 2_000,
      claimLeaseMs: 6_000,
      quietAfterDataLossMs: 6_000,
      pollLockMs: 4_000,
    });
    expect(config.kspay.retry.budgetMs).toBe(config.kspay.timings.readRetryBudgetMs);
    expect(config.webhooks.watch.lockMs).toBe(config.kspay.timings.pollLockMs);
    expect(config.webhooks.sweep.lockMs).toBe(config.kspay.timings.pollLockMs);
    expect(config.webhooks.delivery).toMatchObject({ timeoutMs: 3_000, laneLockMs: 7_000 });
  });

  it('turns GraphiQL and introspection off by default against a real KS Pay, and freezes every section', () => {
    const config = loadConfig(UPSTREAM);
    expect([config.server.graphiql, config.documents.introspection]).toEqual([false, false]);
    expect(config.kspay.credentials?.appId).toBe('ap_DemoApp01');
    for (const section of Object.values(config)) expect(Object.isFrozen(section)).toBe(true);
    expect(Object.isFrozen(config)).toBe(true);
  });
});

describe('overrides: a partial of the configuration', () => {
  it('changes only the fields named, leaves the loaded configuration as it was, and replaces lists whole', () => {
    const loaded = loadConfig({ CORS_ORIGINS: 'https://a.example,https://b.example' });
    const config = withOverrides(loaded, { live: { poll: { minIntervalMs: 100 } }, server: { cors: { origins: ['https://c.example'] } } });
    expect(config.live.poll).toEqual({ minIntervalMs: 100, maxIntervalMs: 15_000 });
    expect(config.live.subscriptions).toBe(loaded.live.subscriptions);
    expect(config.server.cors).toEqual({ origins: ['https://c.example'], allowHeaders: [] });
    expect(config.server.port).toBe(4000);
    expect(loaded.live.poll.minIntervalMs).toBe(1_000);
    expect(loaded.server.cors.origins).toEqual(['https://a.example', 'https://b.example']);
    expect(withOverrides(loaded)).toEqual(loaded);
  });
});

describe('the reference, docs/configuration.md', () => {
  it('defines every variable loadConfig reads, and nothing it does not', () => {
    expect(CONFIG_VARIABLES.map((v) => v.name).sort()).toEqual([...knownVariables()].sort());
    for (const variable of ALL_VARIABLES) expect(variable.meaning.length, variable.name).toBeGreaterThan(10);
  });

  it('shows each default that loadConfig really applies: set to the shown default, a variable changes nothing', () => {
    const defaults = loadConfig({});
    const plain = CONFIG_VARIABLES.filter((v) => v.shown === undefined && v.fallback !== null && v.fallback !== undefined);
    expect(plain.length).toBeGreaterThan(30);
    for (const variable of plain) {
      const value = Array.isArray(variable.fallback) ? variable.fallback.join(',') : String(variable.fallback);
      expect(loadConfig({ [variable.name]: value }), variable.name).toEqual(defaults);
    }
  });

  it('lists the variables read outside loadConfig too', () => {
    const reference = renderReference();
    for (const name of ['OTEL_SDK_DISABLED', 'SANDBOX_PUBLIC_URL', 'CHROMIUM_PATH']) expect(reference).toContain(`| \`${name}\` |`);
  });

  it('is the committed file', () => {
    expect(readFileSync('docs/configuration.md', 'utf8')).toBe(renderReference());
  });

  it('has a drift check that fails on a stale file and passes on a fresh one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'config-reference-'));
    try {
      const file = join(dir, 'configuration.md');
      const check = () => spawnSync(process.execPath, ['--import', 'tsx', 'scripts/config-reference.ts', '--check', '--file', file], { encoding: 'utf8' });
      writeFileSync(file, renderReference().replace('`10000`', '`5000`'));
      const stale = check();
      expect(stale.status).toBe(1);
      expect(stale.stderr).toContain('docs/configuration.md is out of date: run `npm run config:docs`');
      writeFileSync(file, renderReference());
      expect(check().status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('.env.example', () => {
  it('lists exactly the variables of the reference the gateway reads (the npm scripts’ own aside)', () => {
    const listed = [...readFileSync('.env.example', 'utf8').matchAll(/^#? ?([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]);
    const gateway = ALL_VARIABLES.filter((v) => v.section !== 'tools').map((v) => v.name);
    expect(new Set(listed)).toEqual(new Set(gateway));
  });
});
