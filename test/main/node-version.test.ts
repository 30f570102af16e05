/**
 * Issue 20: Node 24 LTS. The `node` dev dependency puts Node 24 first on the PATH of npm
 * scripts, so `npm start` and `npm test` run on it even where the system Node is older; the
 * tools that start `node` themselves (vitest's forks, tsx, the tests' child processes through
 * process.execPath) must land on the same one.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { unsupportedNodeLine } from '../../src/start-up.js';

function versionFrom(command: string, args: string[]): string {
  const result = spawnSync(command, args, { encoding: 'utf8', env: { PATH: process.env.PATH } });
  expect(result.status, result.stderr).toBe(0);
  return result.stdout.trim().split('\n').at(-1)!;
}

describe('an operator in production: the Node.js the gateway and the suite run on', () => {
  it('npm scripts run Node 24 from node_modules, whatever the system Node', () => {
    expect(versionFrom('npm', ['exec', '--', 'node', '-p', 'process.version'])).toMatch(/^v24\./);
  });

  it('under `npm test` this suite runs on that Node 24, and the processes it starts with tsx on the same one', () => {
    // npm sets npm_lifecycle_event for its scripts; a bare `node vitest.mjs` on Node 22 is the README's other way.
    if (process.env.npm_lifecycle_event === 'test') expect(process.version).toMatch(/^v24\./);
    expect(versionFrom(process.execPath, ['--import', 'tsx', '-e', 'console.log(process.version)'])).toBe(process.version);
  });

  it('the gateway refuses Node before 22.15 with one line, and takes 22.15 and 24', () => {
    expect(unsupportedNodeLine('20.20.2')).toMatch(/^Node\.js 20\.20\.2 is not supported: run the gateway on Node 24 \(LTS\) or 22\.15 and later/);
    // `node dist/main.js` on an older system node is the natural first try of the built code.
    expect(unsupportedNodeLine('20.20.2')).toContain('npm run start:production');
    expect(unsupportedNodeLine('22.14.0')).not.toBeNull();
    expect(unsupportedNodeLine('22.15.0')).toBeNull();
    expect(unsupportedNodeLine('24.21.0')).toBeNull();
    expect(unsupportedNodeLine()).toBeNull();
  });
});
