/**
 * GraphiQL's default tabs, each as a newcomer meets it: one operation per tab, runnable as
 * it is with the tab's own variables, and a schema whose mutations say what they do.
 */
import { Kind, parse, type OperationDefinitionNode } from 'graphql';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphiqlTabs } from '../../src/graphiql.js';
import { exampleIdsOf } from '../../src/sandbox/fixtures.js';
import { startStack, type FetchStack } from '../support/stack.js';

// Schema-level: the tabs' operations go through yoga's fetch (GraphiQL's page is tested over HTTP).
let stack: FetchStack;
beforeAll(async () => {
  stack = await startStack({ transport: 'fetch' });
});
afterAll(async () => {
  await stack?.close();
});

const tabs = graphiqlTabs(exampleIdsOf(), 'http://127.0.0.1:4000/payment-return');

describe("a developer's first hour: GraphiQL's default tabs", () => {
  it('hold one operation each', () => {
    const names = tabs.map(({ query }) => {
      const operations = parse(query!).definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
      expect(operations).toHaveLength(1);
      return operations[0]!.name?.value;
    });
    expect(names).toEqual(['Catalog', 'InitiatePayment', 'ProcessPayment', 'VerifyPaymentReturn', 'Transaction', 'RecentTransactions', 'Reconciliation']);
  });

  it('each run as they are, with their own variables: no request error', async () => {
    for (const { query, variables } of tabs) {
      const answer = await stack.gql(query!, variables ? JSON.parse(variables) : undefined);
      expect(answer.status, query!).toBe(200);
      const requestErrors = (answer.errors ?? []).filter((e) => !e.path);
      expect(requestErrors, query!).toEqual([]);
    }
  });
});

describe('a developer’s first hour: the examples and the Docs panel', () => {
  it('InitiatePayment reads the field KS Pay refused', () => {
    const initiate = readFileSync(new URL('../../examples/initiate.graphql', import.meta.url), 'utf8');
    expect(initiate).toMatch(/\.\.\. on UpstreamRejectedError \{\s*field\b/);
  });

  it('both mutations are described', async () => {
    const { data } = await stack.gql('{ __schema { mutationType { fields { name description } } } }');
    for (const field of data.__schema.mutationType.fields) expect(field.description, field.name).toMatch(/\w{10}/);
  });
});
