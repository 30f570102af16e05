/**
 * Trusted documents: the operations codegen emitted for examples/ (sha256 hashes in
 * examples/gql/persisted-documents.json). `only` executes nothing else; `allow` also
 * accepts arbitrary operations.
 */
import { readFileSync } from 'node:fs';
import { usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import type { Plugin } from 'graphql-yoga';

const MANIFEST = new URL('../../examples/gql/persisted-documents.json', import.meta.url);

export function useTrustedDocuments(mode: 'allow' | 'only'): Plugin {
  const documents = JSON.parse(readFileSync(MANIFEST, 'utf8')) as Record<string, string>;
  return usePersistedOperations({
    // The manifest keys carry the algorithm ("sha256:…"); clients may send the bare hex.
    getPersistedOperation: (hash) => documents[hash] ?? documents[`sha256:${hash}`] ?? null,
    allowArbitraryOperations: mode === 'allow',
  }) as Plugin;
}
