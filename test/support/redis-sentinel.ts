/**
 * A real primary with one replica watched by three sentinels (`redis-server --sentinel`),
 * on free loopback ports, whose primary can be killed so the sentinels promote the replica.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from './loopback.js';
import { kill, spawnConfigured, spawnRedis, untilAnswers, workDir, type RedisProcess } from './redis-processes.js';

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
  // A replica's sync starts at once, not after the 5 s a primary waits for more replicas to share a diskless transfer
  // (the replica, once promoted, is a primary too).
  const syncAtOnce = ['--repl-diskless-sync-delay', '0'];
  const primary = await spawnRedis(dir, 'primary', syncAtOnce);
  const replica = await spawnRedis(dir, 'replica', [...syncAtOnce, '--replicaof', '127.0.0.1', String(primary.port)]);
  await untilAnswers(replica.port, async (r) => /master_link_status:up/.test(await r.info('replication')));
  const sentinels: RedisProcess[] = [];
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
    sentinels.push(await spawnConfigured(conf, port, ['--sentinel']));
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
    stop: async () => void (await Promise.all(all.map((started) => kill(started)))),
  };
}
