/**
 * `npm run bench -- --compare <git-ref>` without running a benchmark: the option, the plan
 * it adds to, the temporary worktree (gone on exit and on Ctrl-C), the compared gateway
 * served by the checkout's own src/main.ts, and the table's ratio column.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { plan, withCompared } from '../../bench/cases.js';
import { startSandboxChild } from '../../bench/children.js';
import { checkOutCompared } from '../../bench/compared-gateway.js';
import type { Measurement } from '../../bench/load.js';
import { parseBenchOptions } from '../../bench/options.js';
import { resultsTable, type Row } from '../../bench/report.js';
import { comparedVariant, gatewayEnv } from '../../bench/stack.js';

const ROOT = join(import.meta.dirname, '../..');
// Fresh processes (compiled first) and a git checkout each; generous, because the machine may be busy.
const PROCESS_TIMEOUT_MS = 120_000;
const HINT = '(npm run bench -- --help lists the options)';

const git = (...args: string[]) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
const worktrees = () => git('worktree', 'list', '--porcelain');

describe('an engineer comparing with an earlier commit: npm run bench -- --compare', () => {
  it('reads the refs, and a compared run never writes bench/RESULTS.md', () => {
    expect(parseBenchOptions([])).toMatchObject({ compare: [], noWrite: false });
    expect(parseBenchOptions(['--compare', '86aff48', '--only', 'transaction'])).toMatchObject({ compare: ['86aff48'], only: 'transaction', noWrite: true });
    expect(parseBenchOptions(['--compare', 'acd2348', '--compare', '86aff48']).compare).toEqual(['acd2348', '86aff48']);
    expect(() => parseBenchOptions(['--compare'])).toThrow(`bench: option '--compare <value>' argument missing ${HINT}`);
    expect(() => parseBenchOptions(['--compare=--quick'])).toThrow(`bench: --compare needs a git ref (a commit, branch or tag), got "--quick" ${HINT}`);
  });

  it('plans each compared gateway beside the gateway in each of its cases, and nothing else', () => {
    const cases = plan();
    const variants = [comparedVariant('acd2348'), comparedVariant('86aff48')];
    const planned = withCompared(cases, variants);
    const gateway = cases.filter((c) => c.variant === 'gateway').map(({ latencyMs, shape }) => ({ latencyMs, shape }));
    for (const variant of variants) {
      expect(planned.filter((c) => c.variant === variant).map(({ latencyMs, shape }) => ({ latencyMs, shape }))).toEqual(gateway);
    }
    expect(planned.filter((c) => !variants.includes(c.variant as (typeof variants)[number]))).toEqual(cases);
    expect(withCompared(cases, [])).toBe(cases);
  });

  it('refuses a ref that is not a commit, in one line', () => {
    expect(() => checkOutCompared('no-such-ref-anywhere')).toThrow(`bench: --compare: "no-such-ref-anywhere" is not a commit of this repository ${HINT}`);
  });

  describe('the temporary worktree', () => {
    const checkout = checkOutCompared('HEAD');
    afterAll(() => checkout.remove());

    it('is the commit, with this checkout’s node_modules, and goes on remove()', () => {
      expect(checkout.sha).toBe(git('rev-parse', 'HEAD'));
      expect(checkout.variant).toBe(`gateway @ ${git('rev-parse', '--short', 'HEAD')}`);
      expect(git('-C', checkout.dir, 'rev-parse', 'HEAD')).toBe(checkout.sha);
      expect(existsSync(join(checkout.dir, 'src/main.ts'))).toBe(true);
      expect(realpathSync(join(checkout.dir, 'node_modules'))).toBe(realpathSync(join(ROOT, 'node_modules')));
      expect(worktrees()).toContain(realpathSync(checkout.dir));
    });

    it(
      'serves the commit’s own src/main.ts, configured as production is, against a sandbox',
      async () => {
        const sandbox = await startSandboxChild();
        try {
          const gateway = await checkout.start(gatewayEnv(sandbox));
          try {
            const response = await fetch(`${gateway.url}/graphql`, {
              method: 'POST',
              headers: { 'content-type': 'application/json', authorization: 'Bearer bench-load-generator-0123456789' },
              body: JSON.stringify({ query: '{ currencies { code } }' }),
            });
            expect(response.status).toBe(200);
            expect(await response.json()).toMatchObject({
              data: { currencies: expect.arrayContaining([expect.objectContaining({ code: expect.any(String) })]) },
            });
            expect((await gateway.memory()).rss).toBeGreaterThan(0);
            expect(await gateway.busy()).toBe(0);
          } finally {
            await gateway.close();
          }
        } finally {
          await sandbox.close();
        }
      },
      PROCESS_TIMEOUT_MS,
    );

    it('is removed, registered worktree and directory', () => {
      const { dir } = checkout;
      const registered = realpathSync(dir);
      checkout.remove();
      expect(existsSync(dir)).toBe(false);
      expect(worktrees()).not.toContain(registered);
    });
  });

  it(
    'removes the worktree when the benchmark is stopped with Ctrl-C',
    async () => {
      const script =
        "const { checkOutCompared } = await import('./bench/compared-gateway.ts'); console.log(checkOutCompared('HEAD').dir); setInterval(() => {}, 1000);";
      const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      const dir = await new Promise<string>((resolve) => child.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString().trim())));
      const registered = realpathSync(dir);
      expect(worktrees()).toContain(registered);
      child.kill('SIGINT');
      expect(await exited).toBe(130);
      expect(existsSync(dir)).toBe(false);
      expect(worktrees()).not.toContain(registered);
    },
    PROCESS_TIMEOUT_MS,
  );

  it('gives the compared gateway’s rate over the gateway’s in a last column', () => {
    const measured = (rps: number): Measurement => ({
      ops: rps * 10,
      errors: 0,
      rps,
      p50Ms: 1,
      p99Ms: 2,
      upstreamCallsPerOp: 0,
      rssMb: null,
      rssDeltaMb: null,
      heapUsedMb: null,
      sliceRps: [rps],
    });
    const rows: Row[] = [
      { latencyMs: 0, shape: 'transaction', variant: 'gateway', m: measured(1000) },
      { latencyMs: 0, shape: 'transaction', variant: comparedVariant('86aff48'), m: measured(950) },
    ];
    const [header, , gateway, compared] = resultsTable(rows).split('\n');
    expect(header).toMatch(/\| vs gateway \|$/);
    expect(gateway).toMatch(/\|\s+\|$/);
    expect(compared).toMatch(/\| gateway @ 86aff48 \|.*\|\s+0\.95× \|$/);
    expect(resultsTable(rows.slice(0, 1))).not.toContain('vs gateway');
  });
});
