/**
 * Live updates of one transaction, over Server-Sent Events (yoga's built-in SSE: send
 * the subscription with `Accept: text/event-stream`). The stream opens with the current
 * state and completes after a final status. Each API key holds at most
 * MAX_SUBSCRIPTIONS_PER_KEY open streams: every one is a poll of KS Pay.
 */
import { GraphQLError } from 'graphql';
import { NotFoundError } from '../errors/gateway-errors.js';
import { builder } from './builder.js';
import { TransactionRef } from './transaction.js';
import { requireId } from './validation.js';
import type { Transaction } from '../kspay/models.js';

/** With client auth off, every caller shares one allowance. */
const ANONYMOUS = 'anonymous';

builder.subscriptionFields((t) => ({
  transactionUpdated: t.field({
    type: TransactionRef,
    description: 'The transaction now, then every change of it, until SUCCESS or FAILED.',
    authScopes: { scope: 'transactions:read' },
    args: { id: t.arg.id({ required: true }) },
    subscribe: async (_root, { id }, { loaders, updates, caller, signal }) => {
      const transactionId = requireId('transaction', 'id', id);
      const slot = updates.reserve(caller.keyId ?? ANONYMOUS, signal);
      if (!slot) throw tooManySubscriptions(updates.maxWatchesPerOwner);
      try {
        const current = await loaders.transaction.load(transactionId);
        if (!current) throw new NotFoundError('Transaction', transactionId);
        return updates.watch(transactionId, current, slot);
      } catch (error) {
        slot.release();
        throw error;
      }
    },
    resolve: (transaction: Transaction) => transaction,
  }),
}));

function tooManySubscriptions(limit: number): GraphQLError {
  return new GraphQLError(
    `Too many open subscriptions (at most ${limit} per API key); close one before opening another`,
    { extensions: { code: 'RATE_LIMITED', limit } },
  );
}
