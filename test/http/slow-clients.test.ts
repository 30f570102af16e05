/**
 * Finding 12: a gateway in the built-in sandbox mode (no client auth, GraphiQL on) on a
 * non-loopback HOST used to start silently (now refused outright: issue 20); and slow
 * clients were kept for minutes.
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { startStack, type Stack } from '../support/stack.js';

describe('the built-in sandbox mode stays on loopback', () => {
  it.each(['0.0.0.0', '10.1.2.3', '::', 'gateway.example'])('refuses HOST=%s, naming KSPAY_BASE_URL and HOST', (host) => {
    expect(() => loadConfig({ HOST: host })).toThrowError(ConfigError);
    expect(() => loadConfig({ HOST: host })).toThrowError(/^KSPAY_BASE_URL: is not set, but HOST=.* is not a loopback address/);
  });

  it.each(['127.0.0.1', '127.0.0.2', 'localhost', '::1'])('starts on %s', (host) => {
    expect(loadConfig({ HOST: host }).server.host).toBe(host);
  });

  it('refuses any other host even with API keys or GATEWAY_AUTH=off: its payments are not real', () => {
    expect(() => loadConfig({ HOST: '0.0.0.0', GATEWAY_AUTH: 'off' })).toThrowError(/^KSPAY_BASE_URL: /);
    expect(() => loadConfig({ HOST: '0.0.0.0', GATEWAY_API_KEYS: '{"a-long-enough-client-key":["*"]}' })).toThrowError(/^KSPAY_BASE_URL: /);
  });
});

describe('a slow client: cut off', () => {
  let stack: Stack;
  beforeAll(async () => {
    // The header and request deadlines shortened from their 10 s and 15 s defaults (pinned in
    // test/config/sections.test.ts): node enforces them the same way, and the test need not wait 15 s.
    stack = await startStack({ preset: 'production', overrides: { server: { timeouts: { headersMs: 1_000, requestMs: 2_000 } } } });
  });
  afterAll(() => stack.close());

  /** Opens a connection, sends `partial` and never finishes; resolves with what the server said before closing. */
  function trickle(partial: string): Promise<string> {
    const { hostname, port } = new URL(stack.url);
    return new Promise((resolve) => {
      const socket = connect(Number(port), hostname, () => socket.write(partial));
      let answer = '';
      socket.on('data', (chunk) => (answer += chunk.toString()));
      socket.on('close', () => resolve(answer));
      socket.on('error', () => undefined);
    });
  }

  // Each resolves only when the server closes the connection: the test times out if it never does.
  it('closes a connection whose headers never end (408)', async () => {
    const answer = await trickle('POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
  }, 30_000);

  it('closes a connection whose body never ends (408)', async () => {
    const answer = await trickle(
      `POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nAuthorization: Bearer client-a-key-0123456789\r\nContent-Length: 1000\r\n\r\n{"query":`,
    );
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
  }, 30_000);
});
