/**
 * TypeScript sources compiled file by file to the JavaScript node runs, by esbuild (the
 * compiler tsx uses for `npm start`; the type check is `npm run typecheck`'s job). For the
 * processes whose cost is measured or multiplied: the test suite's gateway processes
 * (test/support/compiled-gateway.ts) and the benchmark's servers (bench/compiled.ts), which
 * then run as the production image runs dist/: plain node, no loader.
 */
import { build } from 'esbuild';

export interface CompileOptions {
  /** The directory the globs and `outbase` are relative to. */
  root: string;
  /** Globs of the .ts files to compile, e.g. `src/**\/*.ts`. */
  entryPoints: string[];
  /** Where the output tree starts in the sources (`src` puts src/app.ts at <outdir>/app.js). */
  outbase: string;
  outdir: string;
}

export async function compileSources({ root, entryPoints, outbase, outdir }: CompileOptions): Promise<void> {
  await build({ absWorkingDir: root, entryPoints, outbase, outdir, format: 'esm', platform: 'node', target: 'node22', logLevel: 'warning' });
}
