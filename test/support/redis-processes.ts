/**
 * What the multi-process Redis helpers (./redis-cluster.ts, ./redis-sentinel.ts) share:
 * a redis-server on a free loopback port keeping an append-only file in a temporary
 * directory, waiting until it answers, and SIGKILLing it; a killed node can be started
 * again on the same port with the same files.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { closeServer, freePort, listenOnLoopback } from './loopback.js';

export interface RedisProcess {
  port: number;
  child: ChildProcess;
  /** Spawns it again (same port, same files) after a kill; waits until it answers. */
  restart(): Promise<void>;
}

export function workDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kspay-redis-topology-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Resolves once `check` holds on the server at `port` (default: it answers PING). */
export async function untilAnswers(port: number, check: (redis: Redis) => Promise<boolean> = async (r) => (await r.ping()) === 'PONG'): Promise<void> {
  const probe = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on('error', () => undefined);
  try {
    for (let i = 0; i < 400; i++) {
      try {
        if (probe.status !== 'ready') await probe.connect();
        if (await check(probe)) return;
      } catch {
        // not yet
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`redis on port ${port} did not become ready`);
  } finally {
    probe.disconnect();
  }
}

/** A free port whose cluster bus port (port + 10000) is free too. */
export async function freeClusterPort(): Promise<number> {
  for (;;) {
    const port = await freePort();
    if (port + 10_000 > 65_535) continue;
    const bus = createServer();
    const free = await listenOnLoopback(bus, port + 10_000).then(
      () => true,
      () => false,
    );
    if (free) await closeServer(bus);
    if (free) return port;
  }
}

/** `persistence: false`: no append-only file, so a restarted node has forgotten everything. */
export async function spawnRedis(dir: string, name: string, args: string[], port?: number, { persistence = true } = {}): Promise<RedisProcess> {
  const chosen = port ?? (await freePort());
  const keeping = persistence ? ['--appendonly', 'yes', '--appendfilename', `${name}.aof`, '--appenddirname', `${name}-aof`] : ['--appendonly', 'no'];
  const argv = [...args, '--port', String(chosen), '--bind', '127.0.0.1', '--dir', dir, '--save', '', ...keeping];
  const started: RedisProcess = {
    port: chosen,
    child: spawn('redis-server', argv, { stdio: 'ignore' }),
    async restart() {
      started.child = spawn('redis-server', argv, { stdio: 'ignore' });
      await untilAnswers(chosen);
    },
  };
  await untilAnswers(chosen);
  return started;
}

/** A server given to `redis-server` as a config file (a sentinel). */
export async function spawnConfigured(conf: string, port: number, extra: string[]): Promise<RedisProcess> {
  const started: RedisProcess = {
    port,
    child: spawn('redis-server', [conf, ...extra], { stdio: 'ignore' }),
    async restart() {
      started.child = spawn('redis-server', [conf, ...extra], { stdio: 'ignore' });
      await untilAnswers(port);
    },
  };
  await untilAnswers(port);
  return started;
}

export function kill(started: RedisProcess, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  const { child } = started;
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}
