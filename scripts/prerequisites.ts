/**
 * The system packages the test suite needs — Debian's redis-server (the Redis tests start
 * their own servers) and chromium (the browser tests) — checked before vitest runs. What is
 * missing is installed with apt-get when this machine allows it without a prompt (Debian or
 * Ubuntu, as root or with passwordless `sudo -n`); otherwise the run stops with one line
 * saying what to install. Tests never skip for want of them.
 *
 * Everything the check touches goes through `System`, so the decisions can be tested with
 * a fake PATH and a recording command runner.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export interface System {
  env: Record<string, string | undefined>;
  /** Whether `path` is an executable file. */
  isExecutable(path: string): boolean;
  isRoot: boolean;
  /** Debian, Ubuntu or a derivative: apt-get installs Debian's package names. */
  isDebianLike: boolean;
  /** Runs a command to completion without a terminal; `output` is its stderr, or its stdout when that is empty. */
  run(command: string, args: string[]): { ok: boolean; output: string };
}

export type Outcome = { ok: true; installed: string[] } | { ok: false; message: string };

/** The browser tests' Chromium: CHROMIUM_PATH, or Debian's. */
export function chromiumPath(env: System['env']): string {
  return env.CHROMIUM_PATH || '/usr/bin/chromium';
}

/** The first executable called `command` on the system's PATH. */
export function findOnPath(system: System, command: string): string | null {
  for (const dir of (system.env.PATH ?? '').split(delimiter)) {
    if (dir && system.isExecutable(join(dir, command))) return join(dir, command);
  }
  return null;
}

/** Debian package names of what is missing. */
export function missingPackages(system: System): string[] {
  const missing: string[] = [];
  if (!findOnPath(system, 'redis-server')) missing.push('redis-server');
  if (!system.isExecutable(chromiumPath(system.env))) missing.push('chromium');
  return missing;
}

/** How to run apt-get here without a prompt: directly as root, through `sudo -n`, or not at all. */
export function aptGetPrefix(system: System): string[] | null {
  if (!system.isDebianLike || !findOnPath(system, 'apt-get')) return null;
  if (system.isRoot) return [];
  if (findOnPath(system, 'sudo') && system.run('sudo', ['-n', 'true']).ok) return ['sudo', '-n'];
  return null;
}

export function ensureTestPrerequisites(system: System, log: (line: string) => void = () => undefined): Outcome {
  const missing = missingPackages(system);
  if (missing.length === 0) return { ok: true, installed: [] };

  // Installing Debian's chromium would not put a browser at a custom path.
  if (system.env.CHROMIUM_PATH && missing.includes('chromium')) {
    return {
      ok: false,
      message: `npm test: CHROMIUM_PATH=${system.env.CHROMIUM_PATH} is not an executable file; point it at a Chromium binary, or unset it to use Debian's chromium.`,
    };
  }

  const prefix = aptGetPrefix(system);
  if (!prefix) return { ok: false, message: installHint(missing) };

  log(`npm test: installing ${missing.join(' and ')} with apt-get (the Redis and browser tests need them) …`);
  const [command, ...head] = [...prefix, 'apt-get'];
  for (const args of [
    ['update', '-qq'],
    ['install', '-y', '-qq', '--no-install-recommends', ...missing],
  ]) {
    const { ok, output } = system.run(command, [...head, ...args]);
    if (!ok) return { ok: false, message: `npm test: \`apt-get ${args[0]}\` failed (${lastLine(output)}); ${installHint(missing)}` };
  }

  const stillMissing = missingPackages(system);
  if (stillMissing.length)
    return {
      ok: false,
      message: `npm test: apt-get installed ${missing.join(', ')} but ${stillMissing.join(', ')} is still not found; ${installHint(stillMissing)}`,
    };
  return { ok: true, installed: missing };
}

function installHint(missing: string[]): string {
  const them = missing.length === 1 ? 'it' : 'them';
  return (
    `npm test needs ${missing.join(' and ')}: install ${them} (Debian/Ubuntu: sudo apt-get install -y ${missing.join(' ')})` +
    (missing.includes('chromium') ? ', or set CHROMIUM_PATH to a Chromium binary' : '') +
    ', then run npm test again.'
  );
}

function lastLine(output: string): string {
  return output.trim().split('\n').at(-1)?.trim() || 'no output';
}

/** This machine. `osRelease` and `uid` are there for tests. */
export function hostSystem(options: { env?: System['env']; osRelease?: string; uid?: number } = {}): System {
  const env = options.env ?? process.env;
  return {
    env,
    isExecutable(path) {
      try {
        accessSync(path, constants.X_OK);
        return statSync(path).isFile();
      } catch {
        return false;
      }
    },
    isRoot: (options.uid ?? process.getuid?.()) === 0,
    isDebianLike: isDebianLike(options.osRelease ?? '/etc/os-release'),
    run(command, args) {
      const result = spawnSync(command, args, {
        env: { ...env, DEBIAN_FRONTEND: 'noninteractive' },
        stdio: ['ignore', 'pipe', 'pipe'],
        encoding: 'utf8',
      });
      return { ok: result.status === 0, output: result.error?.message || result.stderr.trim() || result.stdout.trim() };
    },
  };
}

function isDebianLike(osReleasePath: string): boolean {
  let text: string;
  try {
    text = readFileSync(osReleasePath, 'utf8');
  } catch {
    return false;
  }
  const ids = [...text.matchAll(/^(?:ID|ID_LIKE)=["']?([^"'\n]*)/gm)].flatMap((m) => m[1]!.split(/\s+/));
  return ids.some((id) => id === 'debian' || id === 'ubuntu');
}
