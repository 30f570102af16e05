/**
 * The benchmark's servers run compiled, as the production image runs dist/main.js: src/ and
 * bench/ compiled once per benchmark run (scripts/compile-sources.ts) into a directory of its
 * own under node_modules/.cache/ (so that its imports find the packages), laid out as the
 * checkout is: src/ beside examples/, schema/ and package.json, which the code reads relative
 * to itself. Under tsx's loader the gateway's own code cost ~13% more CPU per initiate than
 * compiled (measured interleaved; the naive gateway, mostly library code, the same either way):
 * a benchmark of the loader, not of the gateway. Removed when the benchmark exits.
 */
import { mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileSources } from '../scripts/compile-sources.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface CompiledBench {
  /** bench/serve.ts, compiled. */
  serve: string;
  /** bench/compared-probe.ts, compiled. */
  comparedProbe: string;
}

let compiled: Promise<CompiledBench> | undefined;

/** Compiles on first use; every later call shares that compilation. */
export function compiledBench(): Promise<CompiledBench> {
  compiled ??= compile();
  return compiled;
}

async function compile(): Promise<CompiledBench> {
  const runDir = join(ROOT, 'node_modules/.cache/kspay-gateway-bench', String(process.pid));
  rmSync(runDir, { recursive: true, force: true });
  mkdirSync(runDir, { recursive: true });
  process.once('exit', () => rmSync(runDir, { recursive: true, force: true }));
  for (const shared of ['examples', 'schema', 'package.json']) symlinkSync(join(ROOT, shared), join(runDir, shared));
  await compileSources({ root: ROOT, entryPoints: ['src/**/*.ts', 'bench/*.ts'], outbase: '.', outdir: runDir });
  return { serve: join(runDir, 'bench/serve.js'), comparedProbe: join(runDir, 'bench/compared-probe.js') };
}
