/**
 * KsPayClient sends every call through the fetch it is given (the global one by default),
 * so a service test can answer KS Pay in process: here a fetch that sees each request and
 * hands it on to the sandbox.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KsPayClient } from '../../src/kspay/client.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/server.js';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(() => sandbox.close());

describe('KsPayClient with an injected fetch', () => {
  it('sends the login and the read through it, and answers from what it returned', async () => {
    const seen: string[] = [];
    const client = new KsPayClient({
      baseUrl: sandbox.url,
      ...sandbox.credentials,
      timeoutMs: 5_000,
      fetch: (input, init) => {
        const request = new Request(input, init);
        seen.push(`${request.method} ${new URL(request.url).pathname}`);
        return fetch(request);
      },
    });
    try {
      const currencies = await client.currencies();
      expect(currencies.map((c) => c.code)).toContain('INR');
      expect(seen.some((line) => line.startsWith('POST '))).toBe(true);
      expect(seen.filter((line) => line.endsWith('/currencies'))).toHaveLength(1);
    } finally {
      await client.close();
    }
  });
});
