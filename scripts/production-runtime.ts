/**
 * The runtime settings the production start carries, read from the Dockerfile's last stage
 * (its one source): the `ENV` variables and the flags its `CMD` gives node before
 * dist/main.js. build-production.ts starts its smoke run with them, and the memory tests
 * start their gateway with them, so neither can drift from what production runs.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export interface ProductionRuntime {
  /** `ENV` of the image's last stage (NODE_ENV, HOST, PORT and the memory settings). */
  env: Record<string, string>;
  /** What the `CMD` passes node before the entry point, e.g. `--max-semi-space-size=16`. */
  nodeFlags: string[];
}

export function productionRuntime(dockerfile = resolve(import.meta.dirname, '../Dockerfile')): ProductionRuntime {
  const text = readFileSync(dockerfile, 'utf8').replace(/\\\n/g, ' ');
  const lastStage = text.slice(text.lastIndexOf('\nFROM '));
  const env: Record<string, string> = {};
  for (const [, line] of lastStage.matchAll(/^ENV (.+)$/gm)) {
    for (const [, name, value] of line!.matchAll(/(\w+)=(\S+)/g)) env[name!] = value!;
  }
  const cmd = /^CMD (\[.*\])$/m.exec(lastStage);
  if (!cmd) throw new Error(`${dockerfile}: no CMD [...] in its last stage`);
  const argv = JSON.parse(cmd[1]!) as string[];
  if (argv[0] !== 'node' || argv.at(-1) !== 'dist/main.js') throw new Error(`${dockerfile}: CMD must be node [flags…] dist/main.js, got ${cmd[1]}`);
  return { env, nodeFlags: argv.slice(1, -1) };
}
