/**
 * Writes docs/configuration.md from the variables' definitions in src/config/. `--check`
 * writes nothing and fails when the file differs (CI runs it, like the schema's drift
 * check); `--file <path>` names another file (the drift check's own test).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { renderReference } from '../src/config/reference.js';

const fileFlag = process.argv.indexOf('--file');
const file = fileFlag > 0 ? process.argv[fileFlag + 1]! : new URL('../docs/configuration.md', import.meta.url).pathname;
const printed = renderReference();

if (process.argv.includes('--check')) {
  let current: string | null = null;
  try {
    current = readFileSync(file, 'utf8');
  } catch {
    // A missing file is as stale as an old one.
  }
  if (current !== printed) {
    console.error('docs/configuration.md is out of date: run `npm run config:docs` and commit it.');
    process.exit(1);
  }
  console.log('docs/configuration.md matches src/config/.');
} else {
  writeFileSync(file, printed);
}
