/**
 * Whom per-address limits count (src/http/connections.ts): the socket's peer, or behind a
 * trusted proxy the nearest X-Forwarded-For address that is not a trusted proxy; an IPv6
 * client by its /64, an IPv4 one seen through an IPv6 socket as IPv4.
 */
import type { IncomingMessage } from 'node:http';
import { Registry } from 'prom-client';
import { expect, it } from 'vitest';
import { createConnectionGuard } from '../../src/http/connections.js';

const guard = (trustedProxies: string[] = []) =>
  createConnectionGuard({ maxPerAddress: 1, maxTotal: 1, firstRequestMs: 1_000, trustedProxies }, new Registry());
const request = (remoteAddress: string, forwardedFor?: string) =>
  ({ socket: { remoteAddress }, headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor } }) as unknown as IncomingMessage;

it('is the peer, whatever X-Forwarded-For says, without trusted proxies', () => {
  expect(guard().clientAddress(request('198.51.100.7', '203.0.113.1'))).toBe('198.51.100.7');
  expect(guard().clientAddress(request('::ffff:198.51.100.7'))).toBe('198.51.100.7');
});

it('counts an IPv6 client by its /64, however the address is written', () => {
  const g = guard();
  expect(g.clientAddress(request('2001:db8:0:1::5'))).toBe('2001:db8:0:1::/64');
  expect(g.clientAddress(request('2001:0db8:0000:0001:ffff:1:2:3'))).toBe('2001:db8:0:1::/64');
  expect(g.clientAddress(request('::1'))).toBe('0:0:0:0::/64');
});

it('behind trusted proxies, is the nearest forwarded address that is not one; a malformed entry stops the walk', () => {
  const g = guard(['10.0.0.0/8', 'fd00::/8']);
  expect(g.clientAddress(request('10.0.0.2', '203.0.113.9, 198.51.100.4, 10.0.0.3'))).toBe('198.51.100.4');
  expect(g.clientAddress(request('10.0.0.2', '203.0.113.9'))).toBe('203.0.113.9');
  expect(g.clientAddress(request('10.0.0.2', 'made-up, 10.0.0.3'))).toBe('10.0.0.3');
  expect(g.clientAddress(request('10.0.0.2'))).toBe('10.0.0.2');
  expect(g.clientAddress(request('fd00::1', '2001:db8::1'))).toBe('2001:db8:0:0::/64');
});
