import type { CodegenConfig } from '@graphql-codegen/cli';
import { addTypenameSelectionDocumentTransform } from '@graphql-codegen/client-preset';

/**
 * Prints schema/schema.graphql from the Pothos schema and generates the typed client
 * (client preset, with sha256 persisted documents) for the operations in examples/.
 * `__typename` is added to every selection, as Apollo's and urql's caches add it, so the
 * documents a caching client sends are exactly the trusted ones, hash for hash.
 * Run with `npm run codegen` (it loads the TypeScript schema through tsx).
 */
const config: CodegenConfig = {
  schema: './src/schema/index.ts',
  documents: ['examples/**/*.graphql'],
  ignoreNoDocuments: false,
  generates: {
    'schema/schema.graphql': { plugins: ['schema-ast'] },
    'examples/gql/': {
      preset: 'client',
      config: { importExtension: '.js', useTypeImports: true, enumsAsTypes: true, scalars: { Decimal: 'string', DateTime: 'string', JSON: 'unknown' } },
      documentTransforms: [addTypenameSelectionDocumentTransform],
      presetConfig: { fragmentMasking: false, persistedDocuments: { hashAlgorithm: 'sha256' } },
    },
  },
};

export default config;
