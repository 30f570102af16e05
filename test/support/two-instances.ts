/**
 * The chaos tests' setup (test/stores/redis-loss, cluster-failover, sentinel-failover): two
 * gateway instances on one sandbox and one Redis, and clients that retry their reference on
 * either instance until the answer is final, every answer kept for counting.
 */
import type { AppOverrides } from '../../src/app.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/server.js';
import { initiate, isRetryable, paymentInput, type Answer } from './payment-answers.js';
import { FRESH_DEPENDENCY_CHECKS, untilRedisUp } from './redis-topologies.js';
import { startStack, type Stack } from './stack.js';

export interface TwoInstances {
  sandbox: Sandbox;
  a: Stack;
  b: Stack;
  /** A client's input for one payment, without its reference. */
  input: Record<string, string>;
  /**
   * A client that sends `referenceNumber` until it gets a final answer, alternating instances
   * (`startWith` picks the first); every answer is pushed to `answers`.
   */
  client(referenceNumber: string, startWith: number, answers: Answer[]): Promise<Answer>;
  /** The KS Pay transactions the sandbox holds for `referenceNumber`: one, or a double payment. */
  copiesOf(referenceNumber: string): readonly { id: string }[];
  /** Closes both instances and the sandbox; the Redis is the test's to stop. */
  close(): Promise<void>;
}

export interface TwoInstancesOptions {
  /** The Redis both instances share, and anything else both are configured with. */
  env: Record<string, string>;
  overrides?: AppOverrides;
  /** How many answers a client takes before it gives up (a failover needs more than a flush). */
  attempts: number;
}

/** Starts the sandbox and both instances, and resolves once each reports Redis up. */
export async function startTwoInstances({ env, overrides, attempts }: TwoInstancesOptions): Promise<TwoInstances> {
  const sandbox = await startSandbox();
  const both = { ...overrides, observability: { ...FRESH_DEPENDENCY_CHECKS.observability, ...overrides?.observability } };
  const [a, b] = await Promise.all([
    startStack({ sharedSandbox: sandbox, env, overrides: both }),
    startStack({ sharedSandbox: sandbox, env, overrides: both }),
  ]);
  await Promise.all([untilRedisUp(a.url), untilRedisUp(b.url)]);
  const input = await paymentInput(a.gql);
  return {
    sandbox,
    a,
    b,
    input,
    async client(referenceNumber, startWith, answers) {
      for (let attempt = 0; attempt < attempts; attempt++) {
        const answer = await initiate((attempt + startWith) % 2 ? a.gql : b.gql, { ...input, referenceNumber });
        answers.push(answer);
        if (!isRetryable(answer)) return answer;
        await new Promise((resolve) => setTimeout(resolve, Math.min(answer.retryAfterMs ?? 100, 300)));
      }
      throw new Error(`${referenceNumber}: no final answer in ${attempts} attempts`);
    },
    copiesOf: (referenceNumber) => sandbox.transactions.byReference(sandbox.credentials.appId, referenceNumber),
    async close() {
      await a.close();
      await b.close();
      await sandbox.close();
    },
  };
}
