/**
 * vitest's global setup: src/ compiled once per run (scripts/compile-sources.ts). A test that starts the
 * gateway as its own process then runs `node <run>/dist/main.js`, as the production image runs
 * `node dist/main.js`: under tsx's loader each start cost about 1.2 s more CPU, and a run starts
 * some thirty. Each run compiles into its own directory (two runs at once do not share one), laid
 * out as the image is (dist/ beside examples/ and package.json, which src/ reads relative to
 * itself), under node_modules/ so that dist/'s imports find the packages. Compiled again before
 * each watch-mode rerun.
 */
import { mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { compileSources } from '../../scripts/compile-sources.js';

declare module 'vitest' {
  export interface ProvidedContext {
    compiledGatewayMain: string;
  }
}

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

async function compile(runDir: string): Promise<void> {
  const outdir = join(runDir, 'dist');
  rmSync(outdir, { recursive: true, force: true });
  await compileSources({ root: ROOT, entryPoints: ['src/**/*.ts'], outbase: 'src', outdir });
}

export default async function setup(project: TestProject): Promise<() => void> {
  const runDir = join(ROOT, 'node_modules/.cache/kspay-gateway-tests', String(process.pid));
  mkdirSync(runDir, { recursive: true });
  for (const shared of ['examples', 'package.json']) symlinkSync(join(ROOT, shared), join(runDir, shared));
  await compile(runDir);
  project.provide('compiledGatewayMain', join(runDir, 'dist/main.js'));
  project.onTestsRerun(() => compile(runDir));
  return () => rmSync(runDir, { recursive: true, force: true });
}
