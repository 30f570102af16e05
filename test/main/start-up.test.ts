/**
 * Issue 20: the gateway (src/main.ts, compiled) as a process, in production mode. The built-in sandbox (fake
 * payments) never starts where anything says production; a typo, a bad value or KS Pay's
 * refusal of the merchant credentials stops start-up with exit code 1 and one line per
 * problem naming the variable, never a secret; an unreachable KS Pay does not stop it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/server.js';
import { sandboxEnv } from '../support/stack-process.js';
import { freePort } from '../support/loopback.js';
import { runGateway, type ScriptProcess } from '../support/processes.js';

const SPAWN_TIMEOUT_MS = 120_000;
const API_KEYS = JSON.stringify({ 'Yq3v-prod-client-7Lm2x9Pw': ['*'] });
const SECRET = 'sk_live_Do-Not-Print-Me-4Kx8';
const LISTENING = /"url":"(http:\/\/[^"]+)\/graphql"/;

const running: ScriptProcess[] = [];
const sandboxes: Sandbox[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((child) => child.stop('SIGKILL')));
  await Promise.all(sandboxes.splice(0).map((sandbox) => sandbox.close()));
});

function gateway(env: Record<string, string>): ScriptProcess {
  const child = runGateway({ PORT: '0', ...env });
  running.push(child);
  return child;
}

/** The lines a refused start-up printed on stderr; asserts it exited 1 without listening. */
async function refusal(env: Record<string, string>): Promise<string[]> {
  const { code, stdout, stderr } = await gateway(env).exited;
  expect(code).toBe(1);
  expect(stdout).not.toMatch(LISTENING);
  return stderr.trim().split('\n');
}

describe('an operator in production: the built-in sandbox never starts where anything says production', () => {
  it.each([
    ['NODE_ENV=production', { NODE_ENV: 'production', GATEWAY_API_KEYS: API_KEYS }, /but NODE_ENV=production/],
    ['a KS Pay credential', { KSPAY_SECRET_KEY: SECRET }, /but KSPAY_SECRET_KEY is set/],
    ['a non-loopback HOST', { HOST: '0.0.0.0', GATEWAY_API_KEYS: API_KEYS }, /but HOST=0\.0\.0\.0 is not a loopback address.*or HOST=127\.0\.0\.1/],
  ])(
    '%s: exit 1, one line naming KSPAY_BASE_URL',
    async (_, env, why) => {
      const lines = await refusal(env);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^Configuration error: KSPAY_BASE_URL: is not set, but /);
      expect(lines[0]).toMatch(why);
      expect(lines.join('\n')).not.toContain(SECRET);
    },
    SPAWN_TIMEOUT_MS,
  );

  it(
    'the reviewers’ case (NODE_ENV=production, HOST=0.0.0.0, keys, no KSPAY_BASE_URL): refused for both reasons at once',
    async () => {
      const lines = await refusal({ NODE_ENV: 'production', HOST: '0.0.0.0', GATEWAY_API_KEYS: API_KEYS });
      expect(lines).toHaveLength(2);
      expect(lines.every((line) => line.startsWith('Configuration error: KSPAY_BASE_URL: '))).toBe(true);
    },
    SPAWN_TIMEOUT_MS,
  );

  it(
    'a misspelled variable (KSPAY_BASEURL) stops start-up with a did-you-mean, and the credentials are not sent anywhere',
    async () => {
      const lines = await refusal({
        KSPAY_BASEURL: 'https://pay-open-liveapi.kalp.studio',
        KSPAY_APP_ID: 'ap_Merchant1',
        KSPAY_ACCESS_KEY: 'ak_live_x',
        KSPAY_SECRET_KEY: SECRET,
        GATEWAY_API_KEYS: API_KEYS,
      });
      expect(lines).toContain('Configuration error: KSPAY_BASEURL: is not a setting of this gateway; did you mean KSPAY_BASE_URL?');
      expect(lines.join('\n')).not.toContain(SECRET);
    },
    SPAWN_TIMEOUT_MS,
  );

  it(
    'reports every problem at once, in plain words, not zod’s',
    async () => {
      const lines = await refusal({ PORT: 'abc', GATEWAY_API_KEYS: '{"short":["*"]}', MAX_DEPT: '5', CATALOG_TTL_MS: '-1' });
      expect(lines).toEqual([
        'Configuration error: GATEWAY_API_KEYS: key 1 of 1 (5 characters) is shorter than 16 characters: each API key must be at least 16 characters',
        'Configuration error: CATALOG_TTL_MS: must be a positive whole number of milliseconds (got "-1")',
        'Configuration error: PORT: must be a port number from 0 to 65535 (got "abc")',
        'Configuration error: MAX_DEPT: is not a setting of this gateway; did you mean MAX_DEPTH?',
      ]);
    },
    SPAWN_TIMEOUT_MS,
  );

  it(
    'refuses a client key that is one repeated character, without printing it',
    async () => {
      const key = 'q'.repeat(24);
      const lines = await refusal({ GATEWAY_API_KEYS: JSON.stringify({ [key]: ['*'] }) });
      expect(lines).toEqual(['Configuration error: GATEWAY_API_KEYS: key 1 of 1 (24 characters) is one character repeated']);
    },
    SPAWN_TIMEOUT_MS,
  );
});

describe('an operator in production: merchant credentials are checked with KS Pay at start', () => {
  it(
    'KS Pay refusing them stops start-up, naming the three variables and the likely one',
    async () => {
      // The sandbox knows other credentials: a wrong secret key for its demo app.
      const sandbox = await startSandbox();
      sandboxes.push(sandbox);
      const lines = await refusal({ ...sandboxEnv(sandbox), KSPAY_SECRET_KEY: SECRET, GATEWAY_API_KEYS: API_KEYS, NODE_ENV: 'production' });
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(
        /^Configuration error: KSPAY_APP_ID, KSPAY_ACCESS_KEY, KSPAY_SECRET_KEY: KS Pay at http:\/\/127\.0\.0\.1:\d+ refused these merchant credentials \(HTTP 400, KS Pay code 11004\): check KSPAY_SECRET_KEY first/,
      );
      expect(lines[0]).not.toContain(SECRET);
      expect(sandbox.calls.count('generateToken')).toBe(1);
      expect(sandbox.calls.count('currencies')).toBe(0);
    },
    SPAWN_TIMEOUT_MS,
  );

  it(
    'an unreachable KS Pay does not: the gateway starts, says so, and logs in once KS Pay answers',
    async () => {
      const port = await freePort();
      const demo = await startSandbox();
      const credentials = sandboxEnv(demo);
      await demo.close();
      const child = gateway({ ...credentials, KSPAY_BASE_URL: `http://127.0.0.1:${port}`, GATEWAY_API_KEYS: API_KEYS, NODE_ENV: 'production' });
      const [, url] = await child.waitFor(LISTENING);
      expect(child.stdout()).toContain('KS Pay not reachable at start-up');
      // Readiness is this instance's: a shared KS Pay outage shows in the dependency signal instead.
      expect((await fetch(`${url}/readyz`)).status).toBe(200);
      const dependencies = (await (await fetch(`${url}/health/dependencies`)).json()) as { dependencies: Record<string, { status: string }> };
      expect(dependencies.dependencies.kspay?.status).toBe('down');

      sandboxes.push(await startSandbox({ port }));
      await child.waitFor(/KS Pay reachable now; merchant credentials accepted/);
    },
    SPAWN_TIMEOUT_MS,
  );
});

describe('a developer’s first hour: npm start on a fresh clone', () => {
  it(
    'runs the built-in sandbox and says, once, that its payments are not real',
    async () => {
      const child = gateway({});
      await child.waitFor(LISTENING);
      expect(child.stdout().match(/payments here are NOT real/g)).toHaveLength(1);
    },
    SPAWN_TIMEOUT_MS,
  );
});
