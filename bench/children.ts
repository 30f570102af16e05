/**
 * The benchmark's servers as child processes (bench/serve.ts), seen from the parent that
 * runs the load: start one, wait for its URL, ask it over its IPC channel how busy it is
 * and how much memory it holds, stop it. A child never outlives the benchmark.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { DEMO_APP } from '../src/sandbox/fixtures.js';
import { compiledBench } from './compiled.js';
import type { RecordedResponse } from './floor.js';

export type Role = 'sandbox' | 'gateway' | 'naive' | 'floor';

export type ControlRequest =
  | { type: 'busy' }
  /** With `gc`, after a full collection (the child must run with --expose-gc). */
  | { type: 'memory'; gc?: boolean }
  /** The floor only: the answer to give from now on. */
  | { type: 'respond'; response: RecordedResponse };

export type ControlReply = { busy: number } | { memory: NodeJS.MemoryUsage } | { ok: true } | { error: string };

export interface Child {
  url: string;
  pid: number;
  /** Requests it has received and not finished handling (its client may have gone). */
  busy(): Promise<number>;
  memory(options?: { gc?: boolean }): Promise<NodeJS.MemoryUsage>;
  control(request: ControlRequest): Promise<ControlReply>;
  close(): Promise<void>;
}

export interface SandboxChild extends Child {
  credentials: { appId: string; accessKey: string; secretKey: string };
  /** KS Pay calls it has received so far (its /__sandbox/ counter; control calls are not counted). */
  calls(): Promise<number>;
  /** Added before every KS Pay answer. */
  setLatency(latencyMs: number): Promise<void>;
}

/** Killed when this process exits, however it exits: a child never outlives the benchmark. */
const running = new Set<() => void>();
process.once('exit', () => {
  for (const kill of running) kill();
});

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** Generous: a fresh process on a busy 2-CPU machine. */
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 5_000;

export interface ChildOptions {
  /** For `memory({ gc: true })`. */
  exposeGc?: boolean;
  /** Given node before everything else, e.g. the production start's (scripts/production-runtime.ts). */
  nodeFlags?: readonly string[];
}

/**
 * Starts `bench/serve.ts <role>` (compiled: ./compiled.ts) with only PATH and `env` in its environment (nothing of
 * the caller's, such as a REDIS_URL, leaks into a measured gateway).
 */
export async function startChild(role: Role, env: Record<string, string> = {}, { exposeGc = false, nodeFlags = [] }: ChildOptions = {}): Promise<Child> {
  const { serve } = await compiledBench();
  const child = spawn(process.execPath, [...nodeFlags, ...(exposeGc ? ['--expose-gc'] : []), serve, role], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  const { kill, exited, stop: stopChild } = neverOutlive(child);
  const control = controlChannel(child, role, exited);
  const url = await listening(child, role, exited).catch((error: unknown) => {
    kill();
    throw error;
  });
  const ask = async <K extends string>(request: ControlRequest, key: K) => {
    const reply = (await control(request)) as Record<string, unknown>;
    if (!(key in reply)) throw new Error(`the ${role} process answered ${JSON.stringify(reply)}`);
    return reply[key];
  };

  return {
    url,
    pid: child.pid!,
    control,
    busy: async () => (await ask({ type: 'busy' }, 'busy')) as number,
    memory: async ({ gc = false } = {}) => (await ask({ type: 'memory', gc }, 'memory')) as NodeJS.MemoryUsage,
    close: () => stopChild(STOP_TIMEOUT_MS),
  };
}

/**
 * Registers `child` to be killed when this process exits; `exited` resolves with its exit code;
 * `stop` sends SIGTERM and SIGKILLs what has not exited within `timeoutMs`.
 */
export function neverOutlive(child: ChildProcess): { kill(): void; exited: Promise<number | null>; stop(timeoutMs: number): Promise<void> } {
  const kill = () => void child.kill('SIGKILL');
  running.add(kill);
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  void exited.then(() => running.delete(kill));
  const stop = async (timeoutMs: number) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(kill, timeoutMs);
    await exited;
    clearTimeout(timer);
  };
  return { kill, exited, stop };
}

/** Requests over the child's IPC channel, each answered by id; all fail if it exits. */
export function controlChannel(child: ChildProcess, role: string, exited: Promise<number | null>): (request: ControlRequest) => Promise<ControlReply> {
  const pending = new Map<number, { resolve(reply: ControlReply): void; reject(error: Error): void }>();
  let nextId = 0;
  child.on('message', ({ id, reply }: { id: number; reply: ControlReply }) => {
    pending.get(id)?.resolve(reply);
    pending.delete(id);
  });
  void exited.then((code) => {
    for (const { reject } of pending.values()) reject(new Error(`the ${role} process exited (${code})`));
    pending.clear();
  });
  return (request) =>
    new Promise<ControlReply>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      child.send({ id, request }, (error) => {
        if (!error) return;
        pending.delete(id);
        reject(error);
      });
    });
}

/** The URL the child prints once listening; rejects if it exits first or takes too long. */
function listening(child: ChildProcess, role: Role, exited: Promise<number | null>): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the ${role} process did not start within ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS);
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = new RegExp(`^${role} at (http://127\\.0\\.0\\.1:\\d+)$`, 'm').exec(output);
      if (!match) return;
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      // Anything it says later (it should say nothing) is shown, not buffered; written, not
      // piped: a dozen pipes into one stderr would trip node's listener-leak warning.
      child.stdout!.on('data', (later: Buffer) => process.stderr.write(later));
      resolve(match[1]!);
    };
    child.stdout!.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the ${role} process exited (${code}) before listening: ${output.slice(-500)}`));
    });
  });
}

/** A sandbox process with the demo app, driven through its /__sandbox/ control API. */
export async function startSandboxChild(): Promise<SandboxChild> {
  const child = await startChild('sandbox');
  const admin = async <T>(path: string, init?: RequestInit): Promise<T> => {
    const response = await fetch(`${child.url}/__sandbox/${path}`, init);
    if (!response.ok) throw new Error(`sandbox ${path} answered ${response.status}`);
    return (await response.json()) as T;
  };
  return {
    ...child,
    credentials: { appId: DEMO_APP.id, accessKey: DEMO_APP.accessKey, secretKey: DEMO_APP.secretKey },
    calls: async () => (await admin<{ total: number }>('calls')).total,
    async setLatency(latencyMs) {
      await admin('faults', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ latencyMs }) });
    },
  };
}
