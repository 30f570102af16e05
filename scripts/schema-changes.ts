/**
 * Breaking changes between the last released schema and the current one, found by
 * graphql-js' own `findBreakingChanges` (what graphql-inspector builds on), and whether the
 * CHANGELOG owns up to each: its `## Unreleased` section needs a `### Breaking` part that
 * names the changed type or field (`Transaction.providerOrderId`, `CurrencyType.CRYPTO`).
 */
import { buildSchema, findBreakingChanges, findDangerousChanges } from 'graphql';

export interface SchemaChangeReport {
  /** Breaking changes the CHANGELOG does not name: the check fails on any. */
  unannounced: string[];
  /** Breaking changes the CHANGELOG names. */
  announced: string[];
  /** Changes that may surprise a client without breaking it (a new enum value, …): reported only. */
  dangerous: string[];
}

export function compareSchemas(releasedSdl: string, currentSdl: string, changelog: string): SchemaChangeReport {
  const released = buildSchema(releasedSdl);
  const current = buildSchema(currentSdl);
  const breakingSection = unreleasedBreaking(changelog);
  const report: SchemaChangeReport = { unannounced: [], announced: [], dangerous: findDangerousChanges(released, current).map((c) => c.description) };
  for (const change of findBreakingChanges(released, current)) {
    const coordinate = coordinateOf(change.description);
    (breakingSection.includes(coordinate) ? report.announced : report.unannounced).push(change.description);
  }
  return report;
}

/** `Type.field` from graphql-js' description; for a member of an enum or union, `Enum.VALUE`. */
function coordinateOf(description: string): string {
  const first = description.split(' ')[0]!.replace(/[.,:]+$/, '');
  const container = /from (?:enum|union) type (\w+)/.exec(description)?.[1];
  return container && !first.includes('.') ? `${container}.${first}` : first;
}

/** The text of `### Breaking` under `## Unreleased`, up to the next heading of either level. */
function unreleasedBreaking(changelog: string): string {
  const unreleased = /^## Unreleased[^\n]*\n([\s\S]*?)(?=^## |(?![\s\S]))/m.exec(changelog)?.[1] ?? '';
  return /^### Breaking[^\n]*\n([\s\S]*?)(?=^##|(?![\s\S]))/m.exec(unreleased)?.[1] ?? '';
}
