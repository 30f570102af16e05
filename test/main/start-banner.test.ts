/**
 * `npm start` speaks to a person at a terminal (a banner: where GraphiQL is, that sandbox
 * payments are not real, how to stop) and to a log collector when piped (JSON lines only).
 * The terminal is a real pseudo-terminal: util-linux's `script` runs the gateway in one.
 */
import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { runScript, type ScriptProcess } from '../support/processes.js';

const SPAWN_TIMEOUT_MS = 120_000;
const stops: (() => Promise<void>)[] = [];

afterEach(async () => {
  await Promise.all(stops.splice(0).map((stop) => stop()));
});

/** The gateway under a pseudo-terminal; resolves with its output once `pattern` appears. */
function startInTerminal(pattern: RegExp): Promise<string> {
  const command = `exec ${process.execPath} --import tsx src/main.ts`;
  const child = spawn('script', ['-qfec', command, '/dev/null'], {
    env: { PATH: process.env.PATH, PORT: '0' },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  stops.push(async () => {
    if (child.exitCode === null) process.kill(-child.pid!, 'SIGKILL');
    await exited;
  });
  let output = '';
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk;
      if (pattern.test(output)) resolve(output);
    });
    void exited.then(() => reject(new Error(`the gateway exited before printing ${pattern}: ${output}`)));
  });
}

describe('npm start', () => {
  it(
    'prints a banner for a person when stdout is a terminal',
    async () => {
      const output = await startInTerminal(/Press Ctrl\+C to stop/);
      expect(output).toMatch(/GraphiQL +http:\/\/127\.0\.0\.1:\d+\/graphql/);
      expect(output).toMatch(/built-in sandbox at http:\/\/127\.0\.0\.1:\d+: payments here are NOT real/);
    },
    SPAWN_TIMEOUT_MS,
  );

  it(
    'prints JSON lines only when stdout is not a terminal',
    async () => {
      const gateway: ScriptProcess = runScript('src/main.ts', { PORT: '0' });
      stops.push(() => gateway.stop('SIGKILL'));
      await gateway.waitFor(/kspay-gateway at http/);
      const lines = gateway.stdout().trim().split('\n');
      for (const line of lines) expect(() => JSON.parse(line), line).not.toThrow();
      expect(gateway.stdout()).not.toContain('Ctrl+C');
    },
    SPAWN_TIMEOUT_MS,
  );
});
