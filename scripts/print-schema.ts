/** Prints the schema as codegen's schema-ast does, for the drift check. */
import { printSchema } from 'graphql';
import { schema } from '../src/schema/index.js';
process.stdout.write(printSchema(schema));
