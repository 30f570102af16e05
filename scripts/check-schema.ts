/**
 * Fails when schema/schema.graphql is not what the Pothos schema prints.
 * Fix with `npm run codegen` and commit the result.
 */
import { readFileSync } from 'node:fs';
import { printSchema } from 'graphql';
import { schema } from '../src/schema/index.js';

const committed = readFileSync(new URL('../schema/schema.graphql', import.meta.url), 'utf8');
if (committed !== printSchema(schema)) {
  console.error('schema/schema.graphql is out of date: run `npm run codegen` and commit it.');
  process.exit(1);
}
console.log('schema/schema.graphql matches the Pothos schema.');
