/**
 * The CI check on schema changes (scripts/check-schema.ts): a deliberately breaking schema
 * (test/fixtures/schema-changes/breaking.graphql: a field and an enum value removed) fails it
 * until the CHANGELOG names each change; compatible changes pass.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { compareSchemas } from '../../scripts/schema-changes.js';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
const released = read('schema/released.graphql');
const breaking = read('test/fixtures/schema-changes/breaking.graphql');
const NO_BREAKING = '# Changelog\n\n## Unreleased\n\n### Added\n\n- Something.\n';

describe('the breaking-change check', () => {
  it('fails a deliberately breaking schema the CHANGELOG says nothing of', () => {
    const report = compareSchemas(released, breaking, NO_BREAKING);
    expect([...report.unannounced].sort()).toEqual(['CRYPTO was removed from enum type CurrencyType.', 'Transaction.providerOrderId was removed.']);
  });

  it('still fails when only one change is named, or when it is named outside Unreleased → Breaking', () => {
    const one = '# Changelog\n\n## Unreleased\n\n### Breaking\n\n- `Transaction.providerOrderId` is gone.\n';
    expect(compareSchemas(released, breaking, one).unannounced).toEqual(['CRYPTO was removed from enum type CurrencyType.']);
    const elsewhere =
      '# Changelog\n\n## Unreleased\n\n### Removed\n\n- Transaction.providerOrderId, CurrencyType.CRYPTO\n\n## 0.1.0\n\n### Breaking\n\n- Transaction.providerOrderId CurrencyType.CRYPTO\n';
    expect(compareSchemas(released, breaking, elsewhere).unannounced).toHaveLength(2);
  });

  it('passes once the CHANGELOG names every breaking change', () => {
    const named = '# Changelog\n\n## Unreleased\n\n### Breaking\n\n- `Transaction.providerOrderId` removed.\n- `CurrencyType.CRYPTO` removed.\n\n## 0.1.0\n';
    expect(compareSchemas(released, breaking, named)).toMatchObject({
      unannounced: [],
      announced: expect.arrayContaining([expect.stringContaining('Transaction.providerOrderId')]),
    });
  });

  it('passes the committed schema against the last release with the committed CHANGELOG', async () => {
    expect(compareSchemas(released, read('schema/schema.graphql'), read('CHANGELOG.md')).unannounced).toEqual([]);
    const { stdout } = await promisify(execFile)('npx', ['tsx', 'scripts/check-schema.ts'], { cwd: new URL('../..', import.meta.url).pathname });
    expect(stdout).toContain('No breaking schema change the CHANGELOG does not name.');
  });
});
