/**
 * Fails when schema/schema.graphql is not what the Pothos schema prints (fix with
 * `npm run codegen` and commit the result), or when it breaks a client of the last released
 * schema (schema/released.graphql) without the CHANGELOG's `## Unreleased` → `### Breaking`
 * naming each change. At a release, copy schema/schema.graphql over schema/released.graphql.
 */
import { readFileSync } from 'node:fs';
import { printSchema } from 'graphql';
import { schema } from '../src/schema/index.js';
import { compareSchemas } from './schema-changes.js';

const read = (path: string) => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8');
const committed = read('schema/schema.graphql');
if (committed !== printSchema(schema)) {
  console.error('schema/schema.graphql is out of date: run `npm run codegen` and commit it.');
  process.exit(1);
}
console.log('schema/schema.graphql matches the Pothos schema.');

const report = compareSchemas(read('schema/released.graphql'), committed, read('CHANGELOG.md'));
for (const change of report.dangerous) console.log(`dangerous (not breaking): ${change}`);
for (const change of report.announced) console.log(`breaking, in the CHANGELOG: ${change}`);
if (report.unannounced.length > 0) {
  for (const change of report.unannounced) console.error(`breaking, not in the CHANGELOG: ${change}`);
  console.error('Name each under "## Unreleased" → "### Breaking" in CHANGELOG.md, or keep the schema compatible.');
  process.exit(1);
}
console.log('No breaking schema change the CHANGELOG does not name.');
