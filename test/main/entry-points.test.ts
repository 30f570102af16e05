/**
 * `npm start` and `npm run sandbox` as a newcomer meets them: real processes. A busy port
 * is one line naming the variable to change, not a stack trace; the standalone sandbox
 * prints a command that, pasted into a shell, runs a gateway against it.
 */
import { spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { postGraphQL } from '../support/graphql-http.js';
import { closeServer, listenOnLoopback } from '../support/loopback.js';
import { runScript, type ScriptProcess } from '../support/processes.js';

const children: ScriptProcess[] = [];
// Each test starts fresh tsx processes; generous, because the machine may be busy.
const SPAWN_TIMEOUT_MS = 120_000;

function run(script: string, env: Record<string, string>): ScriptProcess {
  const running = runScript(script, env);
  children.push(running);
  return running;
}

afterEach(async () => {
  await Promise.all(children.splice(0).map((child) => child.stop('SIGKILL')));
});

describe('a newcomer: a port already in use', () => {
  let busy: Server;
  let port: number;

  beforeEach(async () => {
    busy = createServer();
    ({ port } = await listenOnLoopback(busy));
  });
  afterEach(() => closeServer(busy));

  it.each([
    ['npm start', 'src/main.ts', 'PORT'],
    ['npm run sandbox', 'src/sandbox/main.ts', 'SANDBOX_PORT'],
  ])(
    '%s: exits 1 with one line naming the variable and the port, and nothing before it',
    async (_, script, variable) => {
      const { code, stdout, stderr } = await run(script, { [variable]: String(port) }).exited;
      expect(code).toBe(1);
      // No "sandbox started" line (the built-in sandbox's warning) ahead of the refusal.
      expect(stdout).toBe('');
      const lines = stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(new RegExp(`^${variable}: port ${port} is already in use on 127\\.0\\.0\\.1 .*set ${variable} to a free port`));
    },
    SPAWN_TIMEOUT_MS,
  );
});

describe('a newcomer: npm run sandbox', () => {
  it(
    "does not take PORT (the gateway's) when SANDBOX_PORT is unset",
    async () => {
      const busy = createServer();
      const { port } = await listenOnLoopback(busy);
      try {
        const sandbox = run('src/sandbox/main.ts', { PORT: String(port) });
        // Its own default port, 4010, or (another process holds it) one line naming SANDBOX_PORT: never PORT's.
        const outcome = await Promise.race([
          sandbox.waitFor(/^KS Pay sandbox at (\S+)$/m).then(([, url]) => url!),
          sandbox.exited.then(({ stderr }) => stderr),
        ]);
        expect(outcome).toMatch(/^(http:\/\/127\.0\.0\.1:4010|SANDBOX_PORT: port 4010 is already in use)/);
        expect(sandbox.output()).not.toContain(String(port));
      } finally {
        await closeServer(busy);
      }
    },
    SPAWN_TIMEOUT_MS,
  );

  it(
    'prints the demo credentials and a pasteable command that runs a gateway against it',
    async () => {
      const sandbox = run('src/sandbox/main.ts', { SANDBOX_PORT: '0' });
      const [line] = await sandbox.waitFor(/^KSPAY_BASE_URL=.* npm start$/m);
      const [, sandboxUrl] = await sandbox.waitFor(/^KS Pay sandbox at (\S+)$/m);
      await sandbox.waitFor(/demo secret key: sk_demo_\w+/);

      // What a shell makes of the line: `env` in place of `npm start` prints the variables it sets.
      const shell = spawnSync('/bin/sh', ['-c', line.replace(/ npm start$/, ' env')], { encoding: 'utf8', env: {} });
      const pasted = Object.fromEntries(
        shell.stdout
          .split('\n')
          .filter((l) => /^(KSPAY_|GATEWAY_)/.test(l))
          .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
      );
      expect(Object.keys(pasted).sort()).toEqual(['GATEWAY_API_KEYS', 'KSPAY_ACCESS_KEY', 'KSPAY_APP_ID', 'KSPAY_BASE_URL', 'KSPAY_SECRET_KEY']);
      expect(pasted.KSPAY_BASE_URL).toBe(sandboxUrl);
      const [clientKey] = Object.keys(JSON.parse(pasted.GATEWAY_API_KEYS!));
      expect(clientKey!.length).toBeGreaterThanOrEqual(16);

      const gateway = run('src/main.ts', { ...pasted, PORT: '0' });
      const [, gatewayUrl] = await gateway.waitFor(/kspay-gateway at (http:\/\/\S+)\/graphql/);
      const refused = await postGraphQL(`${gatewayUrl}/graphql`, '{ currencies { code } }');
      expect(refused.status).toBe(401);
      const answered = await postGraphQL<any>(`${gatewayUrl}/graphql`, '{ currencies { code } }', {}, { authorization: `Bearer ${clientKey}` });
      expect(answered.data.currencies.map((c: { code: string }) => c.code)).toContain('INR');

      const calls = (await (await fetch(`${sandboxUrl}/__sandbox/calls`)).json()) as { byEndpoint: Record<string, number> };
      expect(calls.byEndpoint.currencies).toBe(1);
    },
    SPAWN_TIMEOUT_MS,
  );
});
