/**
 * Start-up on a Redis that keeps nothing: `npm start` refuses it with one line naming
 * REDIS_ACCEPT_DATA_LOSS and how to turn the append-only file on, and starts when the
 * operator accepts the loss (saying so) or when Redis keeps an append-only file.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/server.js';
import { sandboxEnv } from '../support/stack-process.js';
import { startStack } from '../support/stack.js';
import { runGateway } from '../support/processes.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';

let sandbox: Sandbox;
let forgetful: RedisServer;
let durable: RedisServer;

beforeAll(async () => {
  [sandbox, forgetful, durable] = await Promise.all([startSandbox(), startRedisServer({ persistence: false }), startRedisServer()]);
});
afterAll(async () => {
  await sandbox?.close();
  await forgetful?.stop();
  await durable?.stop();
});

const base = () => ({ PORT: '0', GATEWAY_AUTH: 'off', ...sandboxEnv(sandbox) });

describe('start-up on Redis', () => {
  it('is refused on a Redis without an append-only file: exit 1, one line naming the setting and the fix', async () => {
    const gateway = runGateway({ ...base(), REDIS_URL: forgetful.url });
    const { code, stderr, stdout } = await gateway.exited;
    expect(code).toBe(1);
    expect(stdout).not.toContain('"url"');
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Configuration error: REDIS_URL: /);
    expect(lines[0]).toContain('appendonly yes');
    expect(lines[0]).toContain('REDIS_ACCEPT_DATA_LOSS=true');
  });

  it('starts there with REDIS_ACCEPT_DATA_LOSS=true, and says what that means', async () => {
    const gateway = await startStack({
      process: true,
      sharedSandbox: sandbox,
      env: { GATEWAY_AUTH: 'off', REDIS_URL: forgetful.url, REDIS_ACCEPT_DATA_LOSS: 'true' },
    });
    try {
      const answer = await gateway.gql('{ currencies { code } }');
      expect(answer.data.currencies.length).toBeGreaterThan(0);
      expect(gateway.output()).toContain('REDIS_ACCEPT_DATA_LOSS=true');
    } finally {
      await gateway.stop('SIGKILL');
    }
  });

  it('starts on a Redis with an append-only file, without a warning', async () => {
    const gateway = await startStack({ process: true, sharedSandbox: sandbox, env: { GATEWAY_AUTH: 'off', REDIS_URL: durable.url } });
    try {
      expect((await gateway.gql('{ currencies { code } }')).data.currencies.length).toBeGreaterThan(0);
      expect(gateway.output()).not.toMatch(/REDIS_ACCEPT_DATA_LOSS|keeps nothing/);
    } finally {
      await gateway.stop('SIGKILL');
    }
  });

  it('rejects a REDIS_ACCEPT_DATA_LOSS that is not a flag, naming it', async () => {
    const { code, stderr } = await runGateway({ ...base(), REDIS_URL: forgetful.url, REDIS_ACCEPT_DATA_LOSS: 'maybe' }).exited;
    expect(code).toBe(1);
    expect(stderr).toMatch(/^Configuration error: REDIS_ACCEPT_DATA_LOSS/);
  });
});
