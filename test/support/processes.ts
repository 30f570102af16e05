/**
 * A TypeScript entry point run as its own process, as the npm scripts run it
 * (`node --import tsx <script>`), or the gateway compiled (`node dist/main.js`, as the
 * production image runs it), with only PATH and the given variables in its environment.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';

export interface ScriptProcess {
  child: ChildProcess;
  /** Resolves with the first match of `pattern` in stdout; rejects if the process exits first. */
  waitFor(pattern: RegExp): Promise<RegExpMatchArray>;
  /** Everything written to stdout so far. */
  stdout(): string;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  exited: Promise<{ code: number | null; stdout: string; stderr: string }>;
  /** Sends `signal` (unless the process has already ended) and resolves once it has. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export function runScript(script: string, env: Record<string, string>, args: readonly string[] = []): ScriptProcess {
  return run(script, ['--import', 'tsx', script, ...args], env);
}

/** The gateway's src/main.ts, compiled by the suite's global setup (./compiled-gateway.ts). */
export function runGateway(env: Record<string, string>): ScriptProcess {
  return run('the gateway', [inject('compiledGatewayMain')], env);
}

/** ./gateway-instance.mjs: the compiled app with test overrides (JSON in TEST_APP_OVERRIDES). */
export function runGatewayInstance(env: Record<string, string>): ScriptProcess {
  const dist = dirname(inject('compiledGatewayMain'));
  return run('the gateway instance', [fileURLToPath(new URL('./gateway-instance.mjs', import.meta.url))], { ...env, TEST_COMPILED_DIST: dist });
}

function run(script: string, argv: string[], env: Record<string, string>): ScriptProcess {
  const child = spawn(process.execPath, argv, {
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk;
    output += chunk;
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk;
    output += chunk;
  });
  const exited = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.once('close', (code) => resolve({ code, stdout, stderr })),
  );
  const waitFor = (pattern: RegExp) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const check = () => {
        const match = stdout.match(pattern);
        if (!match) return;
        child.stdout.off('data', check);
        resolve(match);
      };
      child.stdout.on('data', check);
      check();
      void exited.then(({ code }) => reject(new Error(`${script} exited (${code}) before printing ${pattern}: ${output}`)));
    });
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  return { child, waitFor, stdout: () => stdout, output: () => output, exited, stop };
}
