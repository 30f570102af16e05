/**
 * The suite's file order: the files that take longest start first, so the last worker
 * still busy is not one that picked a long file late. vitest orders by the durations it
 * cached from the last run; a fresh clone (CI) has none, so the measured slow files are
 * named here, slowest first. A file missing from the list keeps vitest's order after them.
 */
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const SLOWEST_FIRST = [
  'documents/distinct-documents',
  'stores/redis',
  'main/soak',
  'graphiql/snags',
  'examples/browser',
  'main/start-up',
  'webhooks/redis-durability',
  'stores/redis-loss',
  'lifecycle/readiness',
  'plugins/document-size-limit',
  'graphiql/walkthrough',
  'payments/dead-claim',
  'lifecycle/drain',
  'stores/redis-cluster',
  'stores/data-loss-hook',
  'http/strangers-memory',
  'webhooks/drain',
  'stores/cluster-failover',
  'stores/redis-startup',
  'main/entry-points',
  'reads/resilience',
  'main/start-banner',
  'stores/sentinel-failover',
].map((name) => `/test/${name}.test.ts`);

const rank = (spec: TestSpecification) => {
  const at = SLOWEST_FIRST.findIndex((suffix) => spec.moduleId.endsWith(suffix));
  return at === -1 ? SLOWEST_FIRST.length : at;
};

export class SlowFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    // Array.prototype.sort is stable: files outside the list keep vitest's order.
    return sorted.sort((a, b) => rank(a) - rank(b));
  }
}
