/**
 * `npm run bench -- --compare <git-ref>`: an earlier commit of the gateway measured beside
 * this checkout's, as the variant "gateway @ <short sha>", to show what a change cost.
 *
 * The ref is checked out into a temporary detached worktree that shares this checkout's
 * node_modules (a symlink), and served by ITS OWN src/main.ts, compiled as this checkout's servers
 * are (./compiled.ts) and configured from the environment as production configures it (PORT,
 * KSPAY_*, GATEWAY_API_KEYS…: names that stay): that commit's bench/serve.ts may differ from this
 * one, its main.ts is the interface that lasts.
 * The worktree is removed when the benchmark exits, Ctrl-C and SIGTERM included; only a
 * SIGKILL leaves one (`git worktree list` names it: `git worktree remove --force <dir>`).
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileSources } from '../scripts/compile-sources.js';
import { controlChannel, neverOutlive, type Child } from './children.js';
import { compiledBench } from './compiled.js';
import { UsageError } from './options.js';
import { comparedVariant, type ComparedServer } from './stack.js';

/** A ref checked out for the benchmark; `start` serves it against the KS Pay its `env` names. */
export interface ComparedGateway extends ComparedServer {
  sha: string;
  /** The temporary worktree. */
  dir: string;
  /** Removes the worktree (also done on exit). */
  remove(): void;
}

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** Generous: a fresh process on a busy 2-CPU machine, checking its credentials with KS Pay. */
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;

const git = (...args: string[]) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

/** Checks `ref` out into a temporary worktree, removed when this process exits (Ctrl-C and SIGTERM included). */
export function checkOutCompared(ref: string): ComparedGateway {
  let sha: string;
  try {
    sha = git('rev-parse', '--verify', '--quiet', `${ref}^{commit}`);
  } catch {
    throw new UsageError(`bench: --compare: ${JSON.stringify(ref)} is not a commit of this repository (npm run bench -- --help lists the options)`);
  }
  const shortSha = git('rev-parse', '--short', sha);
  git('worktree', 'prune');
  const dir = mkdtempSync(join(tmpdir(), `kspay-bench-${shortSha}-`));
  git('worktree', 'add', '--detach', dir, sha);
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');

  let removed = false;
  const remove = () => {
    if (removed) return;
    removed = true;
    try {
      git('worktree', 'remove', '--force', dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      git('worktree', 'prune');
    }
  };
  removeOnExit(remove);
  // Its src/ compiled into its dist/, beside its examples/ and package.json: the image's layout.
  let compiled: Promise<void> | undefined;
  const start = async (env: Record<string, string>) => {
    compiled ??= compileSources({ root: dir, entryPoints: ['src/**/*.ts'], outbase: 'src', outdir: join(dir, 'dist') });
    await compiled;
    return startCompared(dir, env);
  };
  return { variant: comparedVariant(shortSha), sha, dir, remove, start };
}

/** Without handlers a signal ends node before its 'exit' listeners run: exit instead, so that they do. */
function removeOnExit(remove: () => void): void {
  process.once('exit', remove);
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const) {
    process.once(signal, () => process.exit(code));
  }
}

/**
 * `node --import <compared-probe> <dir>/dist/main.js` with only PATH and `env` (plus a free PORT on
 * 127.0.0.1); ready once its /readyz answers 200. It has no request counter for the
 * benchmark: `busy()` is 0, and the slices settle on the sandbox's call count alone.
 */
async function startCompared(dir: string, env: Record<string, string>): Promise<Child> {
  const [port, { comparedProbe }] = await Promise.all([freePort(), compiledBench()]);
  const child = spawn(process.execPath, ['--import', comparedProbe, 'dist/main.js'], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', ...env, HOST: '127.0.0.1', PORT: String(port) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const { kill, exited, stop: stopChild } = neverOutlive(child);
  const control = controlChannel(child, 'compared gateway', exited);
  const url = `http://127.0.0.1:${port}`;
  await ready(url, exited).catch((error: unknown) => {
    kill();
    throw error;
  });
  return {
    url,
    pid: child.pid!,
    control,
    busy: async () => 0,
    async memory() {
      const reply = await control({ type: 'memory' });
      if (!('memory' in reply)) throw new Error(`the compared gateway answered ${JSON.stringify(reply)}`);
      return reply.memory;
    },
    close: () => stopChild(STOP_TIMEOUT_MS),
  };
}

/** A port free now (the kernel's pick); the gateway binds it a moment later. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function ready(url: string, exited: Promise<number | null>): Promise<void> {
  let exitCode: number | null | undefined;
  void exited.then((code) => (exitCode = code));
  const giveUpAt = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < giveUpAt) {
    if (exitCode !== undefined) throw new Error(`the compared gateway exited (${exitCode}) before it was ready`);
    const status = await fetch(`${url}/readyz`).then(
      (response) => response.status,
      () => null,
    );
    if (status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the compared gateway was not ready within ${START_TIMEOUT_MS / 1000} s`);
}
