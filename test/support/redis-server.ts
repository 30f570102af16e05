/**
 * A real redis-server (Debian's package) on a free loopback port, for the tests that
 * need one; stopped and restarted at will to test Redis failures. By default it keeps
 * its data as production must (an append-only file, in a temporary directory), so a
 * restart keeps every record; `persistence: false` starts one that forgets everything.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from './loopback.js';

export interface RedisServer {
  url: string;
  /** SIGKILL by default (a crash: what the last second of the append-only file held may be lost); SIGTERM shuts down cleanly. */
  stop(signal?: 'SIGKILL' | 'SIGTERM'): Promise<void>;
  start(): Promise<void>;
}

export interface RedisServerOptions {
  /** false: no append-only file, so a restart forgets everything (default true). */
  persistence?: boolean;
}

export async function startRedisServer({ persistence = true }: RedisServerOptions = {}): Promise<RedisServer> {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | null = null;
  const dir = mkdtempSync(join(tmpdir(), 'kspay-redis-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const keeping = persistence ? ['--appendonly', 'yes', '--appendfsync', 'everysec'] : ['--appendonly', 'no'];

  async function start(): Promise<void> {
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', ...keeping], {
      stdio: 'ignore',
    });
    child.once('error', (error) => {
      throw new Error(`redis-server could not start (apt-get install redis-server): ${error.message}`);
    });
    const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on('error', () => undefined);
    for (let i = 0; i < 100; i++) {
      try {
        await probe.connect();
        await probe.ping();
        probe.disconnect();
        return;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    throw new Error(`redis-server did not answer on ${url}`);
  }

  async function stop(signal: 'SIGKILL' | 'SIGTERM' = 'SIGKILL'): Promise<void> {
    const running = child;
    child = null;
    if (!running || running.exitCode !== null) return;
    await new Promise((resolve) => {
      running.once('exit', resolve);
      running.kill(signal);
    });
  }

  await start();
  return { url, stop, start };
}
