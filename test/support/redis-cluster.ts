/**
 * A real Redis Cluster for the tests: three primaries (`redis-server --cluster-enabled yes`
 * plus `redis-cli --cluster create`), optionally a replica each, on free loopback ports,
 * each keeping an append-only file in a temporary directory. A test may SIGKILL one
 * primary (its replica is promoted), or every node and start them again (same ports,
 * same files: the cluster's layout, and the data unless started without persistence), as a
 * single Redis is stopped and started.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { freeClusterPort, kill, spawnRedis, untilAnswers, workDir, type RedisProcess } from './redis-processes.js';

const run = promisify(execFile);

export interface RedisClusterOptions {
  /** Replicas per primary (default 0). */
  replicas?: number;
  /** false: no append-only files, so `up()` after `down()` finds every node empty (default true). */
  persistence?: boolean;
}

export interface RedisClusterProcesses {
  /** REDIS_CLUSTER_NODES: the primaries it was created with. */
  nodes: string;
  /** A connection to each node alive now (the caller disconnects them). */
  connections(): Redis[];
  /** The port of the primary serving `slot` now, as the live nodes see it. */
  primaryOf(slot: number): Promise<number>;
  /** SIGKILLs the node on `port`. */
  killNode(port: number): Promise<void>;
  /** SIGSTOPs / SIGCONTs every replica: connected, acknowledging nothing. */
  pauseReplicas(): Promise<void>;
  resumeReplicas(): void;
  /** Resolves once a node other than `port` serves `slot` and the cluster is ok again; returns the new primary's port. */
  failedOver(slot: number, port: number): Promise<number>;
  /** Every node SIGKILLed (the cluster is down). */
  down(): Promise<void>;
  /** Every node started again on its port with its files; resolves once the cluster is ok. */
  up(): Promise<void>;
  stop(): Promise<void>;
}

export async function startRedisCluster({ replicas = 0, persistence = true }: RedisClusterOptions = {}): Promise<RedisClusterProcesses> {
  const dir = workDir();
  const started: RedisProcess[] = [];
  for (let i = 0; i < 3 * (1 + replicas); i++) {
    const port = await freeClusterPort();
    // A replica's first sync starts at once, not after the 5 s a primary waits for more replicas to share a diskless transfer.
    const args = [
      '--cluster-enabled',
      'yes',
      '--cluster-config-file',
      join(dir, `nodes-${i}.conf`),
      '--cluster-node-timeout',
      '2000',
      '--repl-diskless-sync-delay',
      '0',
    ];
    started.push(await spawnRedis(dir, `node${i}`, args, port, { persistence }));
  }
  const addresses = started.map(({ port }) => `127.0.0.1:${port}`);
  await run('redis-cli', ['--cluster', 'create', ...addresses, '--cluster-replicas', String(replicas), '--cluster-yes']);
  const alive = () => started.filter(({ child }) => child.exitCode === null && child.signalCode === null);
  const clusterOk = async () => {
    for (const { port } of alive()) await untilAnswers(port, async (r) => /cluster_state:ok/.test(String(await r.cluster('INFO'))));
  };
  await clusterOk();
  // Every replica has synced with its primary before a test may kill one.
  if (replicas > 0) {
    for (const { port } of started) {
      await untilAnswers(port, async (r) => {
        const info = await r.info('replication');
        return /role:master/.test(info) || /master_link_status:up/.test(info);
      });
    }
  }
  const servedBy = async (slot: number): Promise<number | null> => {
    for (const { port } of alive()) {
      const probe = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      probe.on('error', () => undefined);
      try {
        await probe.connect();
        const ranges = await probe.cluster('SLOTS');
        const range = ranges.find(([from, to]) => from <= slot && slot <= to);
        const primary = range?.[2];
        if (primary) return primary[1];
      } catch {
        // ask the next node
      } finally {
        probe.disconnect();
      }
    }
    return null;
  };
  let paused: RedisProcess[] = [];
  const primaries = started.slice(0, 3).map(({ port }) => `127.0.0.1:${port}`);
  return {
    nodes: primaries.join(','),
    connections: () => alive().map(({ port }) => new Redis({ host: '127.0.0.1', port })),
    async primaryOf(slot) {
      const port = await servedBy(slot);
      if (port === null) throw new Error(`no live node serves slot ${slot}`);
      return port;
    },
    killNode: async (port) => {
      const node = started.find((s) => s.port === port);
      if (node) await kill(node);
    },
    async failedOver(slot, port) {
      for (let i = 0; i < 600; i++) {
        const now = await servedBy(slot);
        if (now !== null && now !== port) {
          await clusterOk();
          return now;
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error(`slot ${slot} still served by ${port}`);
    },
    async pauseReplicas() {
      paused = [];
      for (const node of alive()) {
        const probe = new Redis({ port: node.port, host: '127.0.0.1' });
        try {
          if (/role:slave/.test(await probe.info('replication'))) paused.push(node);
        } finally {
          probe.disconnect();
        }
      }
      for (const node of paused) node.child.kill('SIGSTOP');
    },
    resumeReplicas: () => {
      for (const node of paused) node.child.kill('SIGCONT');
    },
    down: async () => void (await Promise.all(started.map((node) => kill(node)))),
    async up() {
      await Promise.all(started.map((node) => node.restart()));
      await clusterOk();
    },
    stop: async () => void (await Promise.all(started.map((node) => kill(node)))),
  };
}
