/**
 * Client authentication and scopes (GATEWAY_API_KEYS), and the start-up rules that
 * keep a gateway facing a real upstream from running open by accident.
 */
import { Agent, request } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/server.js';
import { startStack, type Stack } from '../support/stack.js';
import { runGateway } from '../support/processes.js';

const KEYS = {
  'catalog-key-0123456789': ['catalog:read'],
  'reader-key-0123456789': ['transactions:read'],
  'writer-key-0123456789': ['transactions:write', 'catalog:read'],
  'admin-key-0123456789': ['*'],
};
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ env: { GATEWAY_API_KEYS: JSON.stringify(KEYS) } });
});
afterAll(() => stack.close());
beforeEach(() => stack.sandbox.calls.reset());

describe('client API keys', () => {
  it('refuses a request without a key: 401 UNAUTHENTICATED, nothing sent upstream', async () => {
    const response = await stack.gql('{ currencies { code } }');
    expect(response.status).toBe(401);
    expect(response.errors?.[0]!.extensions?.code).toBe('UNAUTHENTICATED');
    expect(stack.sandbox.calls.count()).toBe(0);
  });

  it('refuses an unknown key the same way', async () => {
    const response = await stack.gql('{ currencies { code } }', {}, bearer('not-a-key-0123456789'));
    expect(response.status).toBe(401);
    expect(response.errors?.[0]!.extensions?.code).toBe('UNAUTHENTICATED');
    expect(JSON.stringify(response)).not.toContain('not-a-key');
    expect(stack.sandbox.calls.count()).toBe(0);
  });

  it('checks the key of every request on a keep-alive connection, whatever the connection proved before', async () => {
    // One socket for all: a proxy's connection carries several clients' requests in turn.
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const sockets = new Set<unknown>();
    const ask = (headers: Record<string, string>, query: string) =>
      new Promise<{ status: number; body: any }>((resolve, reject) => {
        const body = JSON.stringify({ query });
        const req = request(
          `${stack.url}/graphql`,
          { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers } },
          (res) => {
            sockets.add(res.socket);
            const chunks: Buffer[] = [];
            res.on('data', (chunk: Buffer) => chunks.push(chunk));
            res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(Buffer.concat(chunks).toString()) }));
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    try {
      const catalog = '{ currencies { code } }';
      expect((await ask(bearer('catalog-key-0123456789'), catalog)).status).toBe(200);
      expect((await ask(bearer('catalog-key-0123456789'), catalog)).status).toBe(200);
      expect((await ask(bearer('not-a-key-0123456789'), catalog)).status).toBe(401);
      expect((await ask({}, catalog)).status).toBe(401);
      const reader = await ask(bearer('reader-key-0123456789'), catalog);
      expect(reader.body.errors[0].extensions.code).toBe('FORBIDDEN');
      expect((await ask(bearer('catalog-key-0123456789'), catalog)).status).toBe(200);
      expect(sockets.size).toBe(1);
    } finally {
      agent.destroy();
    }
  });

  it('accepts a key as Bearer or as x-api-key', async () => {
    const viaBearer = await stack.gql('{ currencies { code } }', {}, bearer('catalog-key-0123456789'));
    const viaHeader = await stack.gql('{ currencies { code } }', {}, { 'x-api-key': 'catalog-key-0123456789' });
    expect(viaBearer.data.currencies.length).toBeGreaterThan(0);
    expect(viaHeader.data).toEqual(viaBearer.data);
  });

  it('gives catalog:read the catalog and nothing else', async () => {
    const headers = bearer('catalog-key-0123456789');
    const lookup = await stack.gql('{ transaction(id: "tx_Abcdefghi") { id } }', {}, headers);
    expect(lookup.errors?.[0]!.extensions?.code).toBe('FORBIDDEN');
    const write = await stack.gql('mutation { processTransaction(input: { signature: "0123456789abcdef0123" }) { __typename } }', {}, headers);
    expect(write.errors?.[0]!.extensions?.code).toBe('FORBIDDEN');
    expect(stack.sandbox.calls.count('transaction') + stack.sandbox.calls.count('process')).toBe(0);
  });

  it('gives transactions:read lookups and verification but not the catalog or writes', async () => {
    const headers = bearer('reader-key-0123456789');
    const lookup = await stack.gql('{ transaction(id: "tx_Abcdefghi") { id } }', {}, headers);
    expect(lookup.errors).toBeUndefined();
    const verify = await stack.gql('{ verifyPaymentReturn(kspayId: "tx_Abcdefghi", paymentStatus: "success") { verified } }', {}, headers);
    expect(verify.data.verifyPaymentReturn.verified).toBe(false);
    const catalog = await stack.gql('{ currencies { code } }', {}, headers);
    expect(catalog.errors?.[0]!.extensions?.code).toBe('FORBIDDEN');
    const write = await stack.gql('mutation { processTransaction(input: { signature: "0123456789abcdef0123" }) { __typename } }', {}, headers);
    expect(write.errors?.[0]!.extensions?.code).toBe('FORBIDDEN');
    expect(stack.sandbox.calls.count('process')).toBe(0);
  });

  it('gives transactions:write the mutations', async () => {
    const write = await stack.gql(
      'mutation { processTransaction(input: { signature: "0123456789abcdef0123" }) { __typename ... on Error { code } } }',
      {},
      bearer('writer-key-0123456789'),
    );
    expect(write.errors).toBeUndefined();
    expect(write.data.processTransaction.__typename).not.toBe('ValidationError');
    expect(stack.sandbox.calls.count('process')).toBe(1);
  });

  it('gives * everything', async () => {
    const headers = bearer('admin-key-0123456789');
    const response = await stack.gql('{ currencies { code } transactions(first: 1) { totalCount } }', {}, headers);
    expect(response.errors).toBeUndefined();
  });
});

describe('start-up rules', () => {
  const upstream = { KSPAY_BASE_URL: 'http://127.0.0.1:9', KSPAY_APP_ID: 'ap_Merchant1', KSPAY_ACCESS_KEY: 'ak', KSPAY_SECRET_KEY: 'sk-secret' };

  it('runs open only on the built-in sandbox', () => {
    expect(loadConfig({}).auth.apiKeys).toBeNull();
    expect(() => loadConfig(upstream)).toThrow(/GATEWAY_API_KEYS/);
    expect(loadConfig({ ...upstream, GATEWAY_AUTH: 'off' }).auth.apiKeys).toBeNull();
    expect(loadConfig({ ...upstream, GATEWAY_API_KEYS: JSON.stringify(KEYS) }).auth.apiKeys?.size).toBe(4);
  });

  it('treats an empty variable as unset', () => {
    expect(() => loadConfig({ ...upstream, GATEWAY_API_KEYS: '' })).toThrow(/GATEWAY_API_KEYS/);
    expect(loadConfig({ KSPAY_BASE_URL: '', GATEWAY_API_KEYS: '  ' }).kspay.baseUrl).toBeNull();
  });

  it.each([
    [{ GATEWAY_API_KEYS: '{not json' }, 'GATEWAY_API_KEYS'],
    [{ GATEWAY_API_KEYS: '{"short":["*"]}' }, 'GATEWAY_API_KEYS'],
    [{ GATEWAY_API_KEYS: '{"a-long-enough-key-123":["admin"]}' }, 'GATEWAY_API_KEYS'],
    [{ GATEWAY_AUTH: 'maybe' }, 'GATEWAY_AUTH'],
    [{ PORT: 'eighty' }, 'PORT'],
    [{ CATALOG_TTL_MS: '-1' }, 'CATALOG_TTL_MS'],
    [{ KSPAY_BASE_URL: 'ftp://x' }, 'KSPAY_BASE_URL'],
    [{ KSPAY_APP_ID: 'ap_only' }, 'KSPAY_'],
  ])('names the variable that is wrong: %o', (env, variable) => {
    expect(() => loadConfig(env)).toThrow(new RegExp(`^${variable}`));
  });

  it('refuses to start against another upstream without keys, with one clear line', async () => {
    const { code, stderr } = await runGateway({ ...upstream, PORT: '0' }).exited;
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/GATEWAY_API_KEYS.*GATEWAY_AUTH=off/);
    expect(stderr).not.toContain('sk-secret');
  });

  describe('against an external server that follows docs/kspay-api.md', () => {
    let external: Sandbox;
    beforeAll(async () => {
      external = await startSandbox();
    });
    afterAll(() => external.close());

    it('works unchanged given KSPAY_BASE_URL and the merchant credentials', async () => {
      // startStack({ process: true }) sets KSPAY_BASE_URL and the three credentials from the sandbox's.
      const gateway = await startStack({ process: true, sharedSandbox: external, env: { GATEWAY_API_KEYS: JSON.stringify(KEYS) } });
      try {
        const response = await gateway.gql('{ currencies { code } }', {}, bearer('catalog-key-0123456789'));
        expect(response.data.currencies.map((c: { code: string }) => c.code)).toContain('INR');
        // The start-up login read the currencies into the catalog cache (src/start-up.ts): no further call.
        expect(external.calls.count('currencies')).toBe(0);
        expect(gateway.output()).not.toContain(external.credentials.secretKey);
      } finally {
        await gateway.stop();
      }
    });
  });
});
