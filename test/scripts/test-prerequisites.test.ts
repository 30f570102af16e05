/**
 * `npm test`'s set-up (scripts/prerequisites.ts): what it installs, how, and the one line it
 * prints when it cannot. Nothing here touches this machine's packages: the fake machines
 * record their commands, and the host-system tests run fake apt-get and sudo scripts from a
 * temporary PATH.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ensureTestPrerequisites, hostSystem, type System } from '../../scripts/prerequisites.js';

interface FakeOptions {
  files?: string[];
  isRoot?: boolean;
  isDebianLike?: boolean;
  passwordlessSudo?: boolean;
  env?: System['env'];
  /** What a successful `apt-get install` puts on disk. */
  installs?: Record<string, string>;
  failing?: string;
}

function fakeSystem(options: FakeOptions = {}) {
  const files = new Set(options.files ?? ['/usr/bin/apt-get', '/usr/bin/sudo']);
  const commands: string[] = [];
  const system: System = {
    env: { PATH: '/usr/local/bin:/usr/bin', ...options.env },
    isExecutable: (path) => files.has(path),
    isRoot: options.isRoot ?? true,
    isDebianLike: options.isDebianLike ?? true,
    run(command, args) {
      commands.push([command, ...args].join(' '));
      if (command === 'sudo' && args.join(' ') === '-n true') return { ok: options.passwordlessSudo ?? false, output: 'sudo: a password is required' };
      const apt = args.slice(args.indexOf('apt-get') + 1);
      if (options.failing && apt[0] === options.failing) return { ok: false, output: 'Reading package lists...\nE: Unable to locate package chromium' };
      if (apt[0] === 'install') for (const name of apt) if (options.installs?.[name]) files.add(options.installs[name]);
      return { ok: true, output: '' };
    },
  };
  return { system, commands };
}

const BOTH = { 'redis-server': '/usr/bin/redis-server', chromium: '/usr/bin/chromium' };

describe('a newcomer: npm test prerequisites', () => {
  it('does nothing when redis-server and chromium are there', () => {
    const { system, commands } = fakeSystem({ files: ['/usr/bin/redis-server', '/usr/bin/chromium'] });
    expect(ensureTestPrerequisites(system)).toEqual({ ok: true, installed: [] });
    expect(commands).toEqual([]);
  });

  it('as root on Debian, updates once and installs everything missing in one apt-get install', () => {
    const { system, commands } = fakeSystem({ installs: BOTH });
    const lines: string[] = [];
    expect(ensureTestPrerequisites(system, (line) => lines.push(line))).toEqual({ ok: true, installed: ['redis-server', 'chromium'] });
    expect(commands).toEqual(['apt-get update -qq', 'apt-get install -y -qq --no-install-recommends redis-server chromium']);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('installing redis-server and chromium');
  });

  it('installs only what is missing', () => {
    const { system, commands } = fakeSystem({ files: ['/usr/bin/apt-get', '/usr/local/bin/redis-server'], installs: BOTH });
    expect(ensureTestPrerequisites(system)).toEqual({ ok: true, installed: ['chromium'] });
    expect(commands).toEqual(['apt-get update -qq', 'apt-get install -y -qq --no-install-recommends chromium']);
  });

  it('as a user with passwordless sudo, goes through sudo -n', () => {
    const { system, commands } = fakeSystem({
      isRoot: false,
      passwordlessSudo: true,
      files: ['/usr/bin/apt-get', '/usr/bin/sudo', '/usr/bin/chromium'],
      installs: BOTH,
    });
    expect(ensureTestPrerequisites(system).ok).toBe(true);
    expect(commands).toEqual(['sudo -n true', 'sudo -n apt-get update -qq', 'sudo -n apt-get install -y -qq --no-install-recommends redis-server']);
  });

  it.each([
    ['sudo wants a password', { isRoot: false, passwordlessSudo: false }],
    ['there is no sudo', { isRoot: false, files: ['/usr/bin/apt-get'] }],
    ['the system is not Debian-like', { isDebianLike: false }],
    ['there is no apt-get', { files: [] }],
  ])('when %s, stops with one line naming what to install, and runs no apt-get', (_, options: FakeOptions) => {
    const { system, commands } = fakeSystem({ ...options, installs: BOTH });
    const outcome = ensureTestPrerequisites(system);
    expect(outcome.ok).toBe(false);
    const message = (outcome as { message: string }).message;
    expect(message).not.toContain('\n');
    expect(message).toContain('npm test needs redis-server and chromium');
    expect(message).toContain('apt-get install -y redis-server chromium');
    expect(commands.filter((c) => c.includes('apt-get'))).toEqual([]);
  });

  it('names a CHROMIUM_PATH that points nowhere instead of installing a browser it would not use', () => {
    const { system, commands } = fakeSystem({
      files: ['/usr/bin/apt-get', '/usr/bin/redis-server', '/usr/bin/chromium'],
      env: { CHROMIUM_PATH: '/opt/chrome/chrome' },
    });
    const outcome = ensureTestPrerequisites(system);
    expect(outcome).toEqual({ ok: false, message: expect.stringContaining('CHROMIUM_PATH=/opt/chrome/chrome is not an executable file') });
    expect(commands).toEqual([]);
  });

  it("reports a failing apt-get in one line with apt-get's own last line", () => {
    const { system, commands } = fakeSystem({ failing: 'install', installs: BOTH });
    const outcome = ensureTestPrerequisites(system);
    expect(outcome).toEqual({ ok: false, message: expect.stringContaining('`apt-get install` failed (E: Unable to locate package chromium)') });
    expect((outcome as { message: string }).message).not.toContain('\n');
    expect(commands).toHaveLength(2);
  });

  it('fails when apt-get succeeded but the command is still not there', () => {
    const { system } = fakeSystem({ installs: { chromium: '/usr/bin/chromium' } });
    const outcome = ensureTestPrerequisites(system);
    expect(outcome).toEqual({ ok: false, message: expect.stringContaining('redis-server is still not found') });
  });
});

describe('a newcomer: npm test prerequisites on the host system, with a fake PATH', () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function script(name: string, body: string): void {
    writeFileSync(join(dir, name), `#!/bin/sh\n${body}\n`);
    chmodSync(join(dir, name), 0o755);
  }

  function fakeMachine(osRelease: string): { bin: string; osRelease: string; log: string } {
    dir = mkdtempSync(join(tmpdir(), 'prerequisites-'));
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    writeFileSync(join(dir, 'os-release'), osRelease);
    return { bin, osRelease: join(dir, 'os-release'), log: join(dir, 'commands.log') };
  }

  it('runs apt-get through sudo -n from PATH, and finds what it installed', () => {
    const machine = fakeMachine('NAME="Ubuntu"\nID=ubuntu\nID_LIKE=debian\n');
    script('bin/sudo', `echo "sudo $*" >> ${machine.log}\n[ "$1" = -n ] && shift\nexec "$@"`);
    script('bin/true', 'exit 0');
    // Logs its arguments; `install redis-server` puts a redis-server on PATH.
    script(
      'bin/apt-get',
      `echo "apt-get $*" >> ${machine.log}\n` +
        `case "$*" in *redis-server*) printf '#!/bin/sh\\n' > ${machine.bin}/redis-server; /bin/chmod +x ${machine.bin}/redis-server;; esac`,
    );
    script('chromium', ''); // a Chromium of one's own, so only redis-server is missing
    const system = hostSystem({ env: { PATH: machine.bin, CHROMIUM_PATH: join(dir, 'chromium') }, osRelease: machine.osRelease, uid: 1000 });

    expect(system.isDebianLike).toBe(true);
    expect(ensureTestPrerequisites(system)).toEqual({ ok: true, installed: ['redis-server'] });
    expect(readFileSync(machine.log, 'utf8').trim().split('\n')).toEqual([
      'sudo -n true',
      'sudo -n apt-get update -qq',
      'apt-get update -qq',
      'sudo -n apt-get install -y -qq --no-install-recommends redis-server',
      'apt-get install -y -qq --no-install-recommends redis-server',
    ]);
  });

  it('is not Debian-like without debian or ubuntu in os-release, and then installs nothing', () => {
    const machine = fakeMachine('NAME="Fedora Linux"\nID=fedora\n');
    script('bin/apt-get', `echo "apt-get $*" >> ${machine.log}`);
    const system = hostSystem({ env: { PATH: machine.bin, CHROMIUM_PATH: undefined }, osRelease: machine.osRelease, uid: 0 });
    expect(system.isDebianLike).toBe(false);
    expect(ensureTestPrerequisites(system).ok).toBe(false);
    expect(existsSync(machine.log)).toBe(false);
  });

  it('`npm test` without redis-server and no way to install it: exit 1 and exactly one line', () => {
    const machine = fakeMachine('ID=debian\n'); // an empty PATH: no redis-server, no apt-get
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/test-prerequisites.ts'], {
      env: { PATH: machine.bin },
      encoding: 'utf8',
    });
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^npm test needs redis-server( and chromium)?: install/);
  }, 120_000); // a fresh tsx process; generous, because the machine may be busy
});
