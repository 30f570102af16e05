/**
 * `npm run bench -- --help` and bad options: a list of the options, or one line, never
 * a parseArgs stack trace.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parseBenchOptions, USAGE } from '../../bench/options.js';

// A fresh tsx process each; generous, because the machine may be busy.
const SPAWN_TIMEOUT_MS = 120_000;

function bench(...args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'bench/run.ts', ...args], { encoding: 'utf8', env: { PATH: process.env.PATH } });
}

describe('a newcomer: npm run bench options', () => {
  it(
    '--help lists every option and exits 0 without running anything',
    () => {
      const result = bench('--help');
      expect(result.status).toBe(0);
      expect(result.stderr).toBe('');
      expect(result.stdout.trim()).toBe(USAGE);
      for (const option of ['--quick', '--duration', '--connections', '--only', '--compare', '--soak-memory', '--no-soak', '--no-write', '--help']) {
        expect(USAGE).toContain(option);
      }
    },
    SPAWN_TIMEOUT_MS,
  );

  it(
    'an unknown option is one line on stderr and exit 2',
    () => {
      const result = bench('--bogus');
      expect(result.status).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr.trim().split('\n')).toEqual(['bench: unknown option --bogus (npm run bench -- --help lists the options)']);
    },
    SPAWN_TIMEOUT_MS,
  );

  it.each([
    [['--duration'], "option '--duration <value>' argument missing"],
    [['--duration', '0'], '--duration must be a positive number, got "0"'],
    [['--connections', 'many'], '--connections must be a positive number, got "many"'],
    [['--quick=yes'], "option '--quick' does not take an argument"],
    [['fast'], 'unexpected argument "fast"'],
    [
      ['--only', 'catalog'],
      '--only must be one of "warm catalog", "cold catalog", "transaction", "settled transaction", "page of 50", "initiate", got "catalog"',
    ],
  ])('%j is refused: %s', (args, problem) => {
    expect(() => parseBenchOptions(args)).toThrow(`bench: ${problem} (npm run bench -- --help lists the options)`);
  });

  it('reads the options', () => {
    expect(parseBenchOptions([])).toEqual({
      help: false,
      quick: false,
      durationS: 10,
      connections: 32,
      soakMemory: false,
      only: null,
      compare: [],
      noSoak: false,
      noWrite: false,
      soakMinutes: 10,
    });
    expect(parseBenchOptions(['--only', 'warm catalog'])).toMatchObject({ only: 'warm catalog', noSoak: true });
    expect(parseBenchOptions(['--quick', '--connections', '32', '--no-write'])).toMatchObject({ quick: true, durationS: 2, connections: 32, noWrite: true });
    expect(parseBenchOptions(['-h']).help).toBe(true);
  });
});
