/**
 * Which WebSocket upgrades become sockets, and how long a socket may sit idle:
 *
 * - an upgrade whose Origin is neither listed in CORS_ORIGINS nor the gateway's own host
 *   is answered 403 before the handshake, as HTTP refuses a browser on another origin (no
 *   Origin header: a server-side client, allowed);
 * - one client address holds at most MAX_WEBSOCKETS_PER_ADDRESS sockets (counted by its
 *   forwarded address behind a trusted proxy): one more is closed at once with 4429;
 * - a socket with no operation running and nothing from its client (a message, or a ping)
 *   for WEBSOCKET_IDLE_MS is closed with 4000: a client's pings keep a live one open.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import type { ConnectionGuard } from './connections.js';

export const CLOSE_TOO_MANY = 4429;
export const CLOSE_IDLE = 4000;

export interface WebSocketAdmissionOptions {
  guard: ConnectionGuard;
  /** CORS_ORIGINS, as browsers send an Origin. */
  corsOrigins: readonly string[];
  maxPerAddress: number;
  idleMs: number;
}

export interface WebSocketAdmission {
  /** Before the handshake: false when the upgrade was refused (answered 403 and closed). */
  originAllowed(req: IncomingMessage, socket: Duplex): boolean;
  /** After it: false when the socket was closed at once (its address holds its maximum). `busy` tells whether an operation runs. */
  admit(ws: WebSocket, req: IncomingMessage, busy: () => boolean): boolean;
}

export function createWebSocketAdmission({ guard, corsOrigins, maxPerAddress, idleMs }: WebSocketAdmissionOptions): WebSocketAdmission {
  const allowed = new Set(corsOrigins);
  const byAddress = new Map<string, number>();
  return {
    originAllowed(req, socket) {
      const origin = req.headers.origin;
      if (origin === undefined || allowed.has(origin) || URL.parse(origin)?.host === req.headers.host) return true;
      guard.closed('websocket-origin');
      socket.end('HTTP/1.1 403 Forbidden\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
      return false;
    },
    admit(ws, req, busy) {
      const address = guard.clientAddress(req);
      const open = byAddress.get(address) ?? 0;
      if (open >= maxPerAddress) {
        guard.closed('websocket-per-address');
        ws.close(CLOSE_TOO_MANY, `Too many connections from one address (at most ${maxPerAddress})`);
        return false;
      }
      byAddress.set(address, open + 1);
      const idle = setTimeout(function check() {
        if (busy()) return void idle.refresh();
        guard.closed('websocket-idle');
        ws.close(CLOSE_IDLE, `Idle for ${Math.round(idleMs / 1000)} s with no operation; reconnect when needed`);
      }, idleMs);
      idle.unref();
      const active = () => idle.refresh();
      ws.on('message', active).on('ping', active);
      ws.once('close', () => {
        clearTimeout(idle);
        const left = (byAddress.get(address) ?? 1) - 1;
        if (left > 0) byAddress.set(address, left);
        else byAddress.delete(address);
      });
      return true;
    },
  };
}
