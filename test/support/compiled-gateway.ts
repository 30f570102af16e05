/**
 * vitest's global setup: src/ compiled once per run, as `npm run build` emits it but without
 * its type check (`npm run typecheck` does that). A test that starts the gateway as its own
 * process then runs `node <run>/dist/main.js`, as the production image runs `node dist/main.js`:
 * under tsx's loader each start cost about 1.2 s more CPU, and a run starts some forty.
 * Each run compiles into its own directory (two runs at once do not share one), laid out as the
 * image is (dist/ beside examples/ and package.json, which src/ reads relative to itself), under
 * node_modules/ so that dist/'s imports find the packages. Compiled again before each watch-mode rerun.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    compiledGatewayMain: string;
  }
}

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function compile(runDir: string): void {
  rmSync(join(runDir, 'dist'), { recursive: true, force: true });
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const args = [tsc, '-p', 'tsconfig.build.json', '--noCheck', '--sourceMap', 'false', '--outDir', join(runDir, 'dist')];
  execFileSync(process.execPath, args, { cwd: ROOT, stdio: 'inherit' });
}

export default function setup(project: TestProject): () => void {
  const runDir = join(ROOT, 'node_modules/.cache/kspay-gateway-tests', String(process.pid));
  mkdirSync(runDir, { recursive: true });
  for (const shared of ['examples', 'package.json']) symlinkSync(join(ROOT, shared), join(runDir, shared));
  compile(runDir);
  project.provide('compiledGatewayMain', join(runDir, 'dist/main.js'));
  project.onTestsRerun(() => compile(runDir));
  return () => rmSync(runDir, { recursive: true, force: true });
}
