/**
 * Issue 20: configuration problems in plain words (the rule and the value's shape, never a
 * secret, never zod's wording), typos caught with a did-you-mean, trivially weak keys
 * refused, and .env.example listing every variable the gateway reads.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, knownVariables, loadConfig } from '../../src/config.js';

/** The problems `env` causes, one `VARIABLE: reason` line each. */
function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).message.split('\n');
  }
  return [];
}

const ZOD_WORDING = /Invalid input|expected number|received NaN|Invalid key in record|Invalid option|Too small|Too big/;

describe('an operator in production: plain words', () => {
  it.each([
    [{ PORT: 'abc' }, 'PORT: must be a port number from 0 to 65535 (got "abc")'],
    [{ PORT: '70000' }, 'PORT: must be a port number from 0 to 65535 (got "70000")'],
    [{ MAX_DEPTH: '2.5' }, 'MAX_DEPTH: must be a positive whole number (got "2.5")'],
    [{ BATCH_LIMIT: 'many' }, 'BATCH_LIMIT: must be a whole number from 0 to 100 (got "many")'],
    [{ IDEMPOTENCY_TTL_MS: 'soon' }, 'IDEMPOTENCY_TTL_MS: must be at least 24 hours (86400000) in whole milliseconds (got "soon")'],
    [{ GRAPHIQL: 'yes' }, 'GRAPHIQL: must be one of 0, 1, true, false, on, off (got "yes")'],
    [
      { GATEWAY_API_KEYS: '{"short":["*"]}' },
      'GATEWAY_API_KEYS: key 1 of 1 (5 characters) is shorter than 16 characters: each API key must be at least 16 characters',
    ],
    [
      { GATEWAY_API_KEYS: '["not","an","object"]' },
      'GATEWAY_API_KEYS: must be a JSON object of API key → list of scopes, such as {"<key>":["catalog:read"]} (got an array)',
    ],
  ])('%o → %s', (env, line) => {
    const found = problems(env);
    expect(found).toEqual([line]);
    expect(found.join('\n')).not.toMatch(ZOD_WORDING);
  });

  it('documents the KS Pay app id format in the refusal', () => {
    const env = { KSPAY_BASE_URL: 'live', KSPAY_APP_ID: 'app_123', KSPAY_ACCESS_KEY: 'ak', KSPAY_SECRET_KEY: 'sk', GATEWAY_AUTH: 'off' };
    expect(problems(env)).toEqual([`KSPAY_APP_ID: must be 'ap_' and 9 letters or digits, 12 characters in all, such as ap_DemoApp01 (got "app_123")`]);
  });

  it('shows a secret only by its length', () => {
    const found = problems({ WEBHOOK_SECRET: 'tiny-secret', REDIS_URL: 'http://user:hunter2@cache:6379' }).join('\n');
    expect(found).toContain('WEBHOOK_SECRET: each secret must be at least 16 characters (got 11 characters, not shown)');
    expect(found).toContain('REDIS_URL: must be a redis:// URL (got 30 characters, not shown)');
    expect(found).not.toMatch(/tiny-secret|hunter2/);
  });

  it('reports every problem of one environment together', () => {
    expect(
      problems({ PORT: 'x', MAX_COST: '0', LOG_LEVEL: 'loud', GATEWAY_AUTH: 'maybe' })
        .map((line) => line.split(':')[0])
        .sort(),
    ).toEqual(['GATEWAY_AUTH', 'LOG_LEVEL', 'MAX_COST', 'PORT']);
  });
});

describe('an operator in production: variables the gateway does not know', () => {
  it.each([
    ['KSPAY_BASEURL', 'KSPAY_BASE_URL'],
    ['GATEWAY_API_KEY', 'GATEWAY_API_KEYS'],
    ['WEBHOOK_URLS', 'WEBHOOK_URL'],
    ['REDIS_ULR', 'REDIS_URL'],
    ['CORS_ORIGIN', 'CORS_ORIGINS'],
  ])('%s: did you mean %s?', (typo, meant) => {
    expect(problems({ [typo]: 'x' })).toContain(`${typo}: is not a setting of this gateway; did you mean ${meant}?`);
  });

  it('lists the real names of the prefix when nothing is close', () => {
    expect(problems({ GATEWAY_TIMEOUT: '5' })).toEqual([
      'GATEWAY_TIMEOUT: is not a setting of this gateway; the GATEWAY_… settings are GATEWAY_API_KEYS, GATEWAY_AUTH',
    ]);
  });

  it('ignores other prefixes, empty values and what Kubernetes injects for a service named redis', () => {
    expect(
      problems({
        NODE_OPTIONS: '--max-old-space-size=512',
        KSPAY_TYPO: '',
        REDIS_SERVICE_HOST: '10.0.0.5',
        REDIS_PORT: 'tcp://10.0.0.5:6379',
        REDIS_PORT_6379_TCP_ADDR: '10.0.0.5',
      }),
    ).toEqual([]);
  });
});

describe('an operator in production: trivially weak keys', () => {
  it.each([
    ['q'.repeat(20), 'is one character repeated'],
    ['abab'.repeat(5), 'uses only 2 different characters (at least 6 are required)'],
    ['abcdefg'.repeat(3), 'repeats its first 7 characters'],
    ['abcdefghijklmnopqrst', 'is a run of consecutive characters (like abcdef… or 123456…)'],
    ['01234567890123456789', 'repeats its first 10 characters'],
  ])('refuses %s as a client key and as the webhook secret', (key, why) => {
    expect(problems({ GATEWAY_API_KEYS: JSON.stringify({ [key]: ['*'] }) })).toEqual([
      `GATEWAY_API_KEYS: key 1 of 1 (20 characters) ${why}`.replace('(20', `(${key.length}`),
    ]);
    expect(problems({ WEBHOOK_SECRET: key })).toEqual([`WEBHOOK_SECRET: ${why} (got ${key.length} characters, not shown)`]);
  });

  it('accepts a random key and the keys the tests use', () => {
    expect(
      problems({
        GATEWAY_API_KEYS: JSON.stringify({ '9f2c4e1ab7d35e8c06f1a9b2': ['*'], 'client-a-key-0123456789': ['*'] }),
        WEBHOOK_SECRET: `whsec_${Buffer.from('kspay-gateway-test-webhook-key-1').toString('base64')}`,
      }),
    ).toEqual([]);
  });
});

describe('an operator in production: .env.example', () => {
  it('lists every variable the configuration reads', () => {
    const listed = new Set([...readFileSync('.env.example', 'utf8').matchAll(/^#? ?([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]));
    expect([...knownVariables()].filter((name) => !listed.has(name))).toEqual([]);
  });
});
