/**
 * Prints docs/errors.md's table of error codes from src/errors/registry.ts, between the markers
 * `<!-- error-codes:start -->` and `<!-- error-codes:end -->`. `--check` writes nothing and
 * fails when that table differs (CI runs it, like the schema's drift check).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { ERROR_REGISTRY, type ClientErrorCode, type ErrorEntry } from '../src/errors/registry.js';

const GUIDE = new URL('../docs/errors.md', import.meta.url);
const START = '<!-- error-codes:start -->';
const END = '<!-- error-codes:end -->';

function row(code: ClientErrorCode): string {
  const entry: ErrorEntry = ERROR_REGISTRY[code];
  const http = [entry.http, ...(entry.also ?? [])].join(', ');
  const retryable = entry.retryable === 'field' ? 'see `retryable`' : entry.retryable ? 'yes' : 'no';
  return `| \`${code}\` | ${http} | ${entry.meaning} | ${retryable} | ${entry.action} |`;
}

const table = [
  '| code | HTTP | meaning | retryable | what to do |',
  '|---|---|---|---|---|',
  ...(Object.keys(ERROR_REGISTRY) as ClientErrorCode[]).map(row),
].join('\n');

const guide = readFileSync(GUIDE, 'utf8');
const start = guide.indexOf(START);
const end = guide.indexOf(END);
if (start < 0 || end < start) throw new Error(`docs/errors.md lacks the markers ${START} … ${END}`);
const printed = `${guide.slice(0, start + START.length)}\n${table}\n${guide.slice(end)}`;

if (process.argv.includes('--check')) {
  if (printed !== guide) {
    console.error("docs/errors.md's error table is out of date: run `npm run errors:table` and commit it.");
    process.exit(1);
  }
  console.log("docs/errors.md's error table matches src/errors/registry.ts.");
} else {
  writeFileSync(GUIDE, printed);
}
