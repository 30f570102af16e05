/**
 * The naive baseline: the gateway's own SDL (schema/schema.graphql) served by plain
 * graphql-yoga, with resolvers that call the KsPayClient directly. No DataLoader, no
 * catalog cache, no idempotency layer, no limits or observability plugins: every field
 * that needs upstream data asks KS Pay for it, every time. This is what a first
 * "wrap the REST API in GraphQL" attempt looks like, and what the real gateway is
 * measured against.
 */
import { readFileSync } from 'node:fs';
import { createSchema, createYoga } from 'graphql-yoga';
import type { KsPayClient } from '../src/kspay/client.js';
import { isKsPayError } from '../src/kspay/kspay-error.js';
import type { Currency, Transaction } from '../src/kspay/models.js';
import { Decimal } from '../src/kspay/money.js';

const typeDefs = readFileSync(new URL('../schema/schema.graphql', import.meta.url), 'utf8');

interface PageArgs {
  first?: number | null;
}

interface InitiateInput {
  currencyId: string;
  paymentMethodId: string;
  amount: string;
  referenceNumber: string;
  redirectUrl: string;
}

function resolvers(client: KsPayClient) {
  return {
    Decimal: {
      // Only what the benchmark's operations need: amounts out as their exact text.
      serialize: (value: unknown) => (value instanceof Decimal ? value.text : String(value)),
      parseValue: (value: unknown) => String(value),
    },
    Query: {
      currencies: async (_root: unknown, { includeInactive }: { includeInactive?: boolean }) => {
        const all = await client.currencies();
        return includeInactive ? all : all.filter((c) => c.isActive);
      },
      transaction: async (_root: unknown, { id }: { id: string }) => {
        try {
          return await client.transaction({ id });
        } catch (error) {
          if (isKsPayError(error) && error.httpStatus === 404) return null;
          throw error;
        }
      },
      transactions: async (_root: unknown, { first }: PageArgs) => {
        const limit = first ?? 20;
        const list = await client.transactions({ page: 1, limit });
        const nodes = list.items.slice(0, limit);
        return {
          edges: nodes.map((node, index) => ({ cursor: String(index), node })),
          pageInfo: { hasNextPage: list.total !== null && list.total > limit, hasPreviousPage: false },
          totalCount: list.total,
        };
      },
    },
    Currency: {
      // One upstream call per currency in the list: the N+1 the real gateway avoids.
      paymentMethods: (currency: Currency) => client.paymentMethods({ currencyId: currency.id }),
    },
    Transaction: {
      // Per transaction, the whole currency list and the currency's methods, again.
      currency: async (tx: Transaction) => {
        if (!tx.currencyId) return null;
        return (await client.currencies()).find((c) => c.id === tx.currencyId) ?? null;
      },
      paymentMethod: async (tx: Transaction) => {
        if (!tx.currencyId || !tx.paymentMethodId) return null;
        const methods = await client.paymentMethods({ currencyId: tx.currencyId });
        return methods.find((m) => m.id === tx.paymentMethodId) ?? null;
      },
    },
    Mutation: { initiateTransaction: initiateWith(client) },
  };
}

/** initiateTransaction: straight to KS Pay, no idempotency, no lookup of a lost answer. */
function initiateWith(client: KsPayClient) {
  return async (_root: unknown, { input }: { input: InitiateInput }) => {
    const amount = Decimal.parse(input.amount);
    if (!amount) return { __typename: 'ValidationError', code: 'VALIDATION', message: 'bad amount', field: 'input.amount' };
    try {
      const initiated = await client.initiateTransaction({ ...input, amount });
      const transaction = {
        id: initiated.transactionId,
        referenceNumber: input.referenceNumber,
        amount: initiated.amount ?? amount,
        currencyCode: initiated.currencyCode,
        status: 'INITIATED',
      };
      return { __typename: 'InitiateTransactionSuccess', signature: initiated.signature, transaction };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return { __typename: 'UpstreamRejectedError', code: 'UPSTREAM_REJECTED', message };
    }
  };
}

/** The naive gateway's yoga instance (a node:http request listener); bench/serve.ts serves it. */
export function createNaiveGateway(client: KsPayClient) {
  return createYoga({
    schema: createSchema({ typeDefs, resolvers: resolvers(client) }),
    graphqlEndpoint: '/graphql',
    logging: false,
    graphiql: false,
    landingPage: false,
  });
}
