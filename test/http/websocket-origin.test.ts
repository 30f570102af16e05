/**
 * Issue 26, finding 5: a graphql-ws handshake with `Origin: https://evil.example` was acked
 * and ran operations, so a page on an unlisted origin read over WebSocket what HTTP's CORS
 * refused it. Now every upgrade's Origin is checked against CORS_ORIGINS: an unlisted one
 * is answered 403 before the handshake, counted, with no upstream call. No Origin (a
 * server-side client) and the gateway's own origin (GraphiQL) are allowed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../support/stack.js';
import { KEY_A } from '../support/presets.js';
import { openGraphQLSocket } from '../support/websocket-handshake.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ preset: 'production', env: { CORS_ORIGINS: 'https://shop.example' } });
});
afterAll(() => stack.close());

describe('a page on another origin', () => {
  it('refuses the upgrade of a page on an unlisted origin with 403, before any handshake or operation', async () => {
    stack.sandbox.calls.reset();
    for (const origin of ['https://evil.example', 'http://shop.example', 'https://shop.example.evil.example', 'null']) {
      const { outcome } = await openGraphQLSocket(stack.url, KEY_A, { origin });
      expect(outcome).toEqual({ status: 403 });
    }
    expect(stack.sandbox.calls.count()).toBe(0);
    const metrics = await (await fetch(`${stack.url}/metrics`)).text();
    expect(metrics).toMatch(/kspay_gateway_http_connections_closed_total\{reason="websocket-origin"\} 4/);
  });

  it("accepts a listed origin, the gateway's own origin, and a client that sends no Origin", async () => {
    const own = new URL(stack.url).origin;
    for (const headers of [{ origin: 'https://shop.example' }, { origin: own }, {}] as Record<string, string>[]) {
      const { socket, outcome } = await openGraphQLSocket(stack.url, KEY_A, headers);
      expect(outcome).toBe('acked');
      socket.close();
    }
  });
});
