/**
 * Real multi-process Redis topologies for the tests: a three-primary Redis Cluster
 * (`redis-server --cluster-enabled yes` ×3 plus `redis-cli --cluster create`), and a
 * primary with one replica watched by three sentinels (`redis-server --sentinel`), whose
 * primary can be killed so the sentinels promote the replica. Every process keeps an
 * append-only file, on free loopback ports, in a temporary directory.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { freePort } from './loopback.js';

const run = promisify(execFile);

interface Started {
  port: number;
  child: ChildProcess;
}

function workDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kspay-redis-topology-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function untilAnswers(port: number, check: (redis: Redis) => Promise<boolean> = async (r) => (await r.ping()) === 'PONG'): Promise<void> {
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

async function spawnRedis(dir: string, name: string, args: string[], port?: number): Promise<Started> {
  const chosen = port ?? (await freePort());
  const child = spawn(
    'redis-server',
    [
      ...args,
      '--port',
      String(chosen),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--save',
      '',
      '--appendonly',
      'yes',
      '--appendfilename',
      `${name}.aof`,
      '--appenddirname',
      `${name}-aof`,
    ],
    { stdio: 'ignore' },
  );
  await untilAnswers(chosen);
  return { port: chosen, child };
}

function kill(started: Started): Promise<void> {
  if (started.child.exitCode !== null || started.child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    started.child.once('exit', () => resolve());
    started.child.kill('SIGKILL');
  });
}

export interface RedisClusterProcesses {
  /** REDIS_CLUSTER_NODES. */
  nodes: string;
  stop(): Promise<void>;
}

export async function startRedisCluster(): Promise<RedisClusterProcesses> {
  const dir = workDir();
  const started: Started[] = [];
  for (let i = 0; i < 3; i++) {
    started.push(
      await spawnRedis(dir, `node${i}`, ['--cluster-enabled', 'yes', '--cluster-config-file', join(dir, `nodes-${i}.conf`), '--cluster-node-timeout', '2000']),
    );
  }
  const addresses = started.map(({ port }) => `127.0.0.1:${port}`);
  await run('redis-cli', ['--cluster', 'create', ...addresses, '--cluster-yes']);
  for (const { port } of started) await untilAnswers(port, async (r) => /cluster_state:ok/.test(String(await r.cluster('INFO'))));
  return { nodes: addresses.join(','), stop: async () => void (await Promise.all(started.map(kill))) };
}

export interface SentinelProcesses {
  /** REDIS_SENTINELS. */
  sentinels: string;
  /** REDIS_SENTINEL_NAME. */
  name: string;
  primaryPort: number;
  replicaPort: number;
  /** SIGKILLs the primary; the sentinels promote the replica. */
  killPrimary(): Promise<void>;
  /** SIGSTOPs / SIGCONTs the replica: it stays connected but acknowledges nothing. */
  pauseReplica(): void;
  resumeReplica(): void;
  /** Resolves when the sentinels name the replica as the primary. */
  promoted(): Promise<void>;
  stop(): Promise<void>;
}

export async function startSentinels(): Promise<SentinelProcesses> {
  const dir = workDir();
  const name = 'kspay-primary';
  const primary = await spawnRedis(dir, 'primary', []);
  const replica = await spawnRedis(dir, 'replica', ['--replicaof', '127.0.0.1', String(primary.port)]);
  await untilAnswers(replica.port, async (r) => /master_link_status:up/.test(await r.info('replication')));
  const sentinels: Started[] = [];
  for (let i = 0; i < 3; i++) {
    const port = await freePort();
    const conf = join(dir, `sentinel-${i}.conf`);
    writeFileSync(
      conf,
      [
        `port ${port}`,
        'bind 127.0.0.1',
        `dir ${dir}`,
        `sentinel monitor ${name} 127.0.0.1 ${primary.port} 2`,
        `sentinel down-after-milliseconds ${name} 1000`,
        `sentinel failover-timeout ${name} 5000`,
        `sentinel parallel-syncs ${name} 1`,
        '',
      ].join('\n'),
    );
    const child = spawn('redis-server', [conf, '--sentinel'], { stdio: 'ignore' });
    await untilAnswers(port);
    sentinels.push({ port, child });
  }
  // Every sentinel knows the replica and its peers before the test may kill the primary.
  for (const { port } of sentinels) {
    await untilAnswers(port, async (r) => {
      const [master = []] = (await r.call('SENTINEL', 'MASTERS')) as string[][];
      const field = (key: string) => Number(master[master.indexOf(key) + 1]);
      return field('num-slaves') >= 1 && field('num-other-sentinels') >= 2;
    });
  }
  const all = [primary, replica, ...sentinels];
  return {
    sentinels: sentinels.map(({ port }) => `127.0.0.1:${port}`).join(','),
    name,
    primaryPort: primary.port,
    replicaPort: replica.port,
    killPrimary: () => kill(primary),
    pauseReplica: () => void replica.child.kill('SIGSTOP'),
    resumeReplica: () => void replica.child.kill('SIGCONT'),
    promoted: () =>
      untilAnswers(sentinels[0]?.port ?? 0, async (r) => {
        const [, port] = (await r.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', name)) as string[];
        return Number(port) === replica.port;
      }),
    stop: async () => void (await Promise.all(all.map(kill))),
  };
}
