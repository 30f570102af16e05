/**
 * Live updates of one transaction, over Server-Sent Events (yoga's built-in SSE: send
 * the subscription with `Accept: text/event-stream`). The stream opens with the current
 * state and completes after a final status. Open streams are limited per client address,
 * in all and optionally per API key (src/live/subscription-allowance.ts): each may poll KS Pay.
 */
import type { GraphQLError } from 'graphql';
import { NotFoundError } from '../errors/gateway-errors.js';
import { builder } from './builder.js';
import { TransactionRef } from './transaction.js';
import { requireId } from './validation.js';
import type { Transaction } from '../kspay/models.js';
import type { SubscriptionRefusal } from '../live/subscription-allowance.js';
import { clientError } from '../errors/client-errors.js';

builder.subscriptionFields((t) => ({
  transactionUpdated: t.field({
    type: TransactionRef,
    description: 'The transaction now, then every change of it, until SUCCESS or FAILED.',
    authScopes: { scope: 'transactions:read' },
    args: { id: t.arg.id({ required: true }) },
    subscribe: async (_root, { id }, { loaders, updates, caller, clientAddress, signal }) => {
      const transactionId = requireId('transaction', 'id', id);
      const slot = updates.allowance.reserve({ address: clientAddress, keyId: caller.keyId }, signal);
      if ('refused' in slot) throw tooManySubscriptions(slot);
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

const REFUSED_BY: Record<SubscriptionRefusal['refused'], string> = {
  address: 'from one client address',
  key: 'per API key',
  total: 'on this gateway instance',
};

function tooManySubscriptions({ refused, limit }: SubscriptionRefusal): GraphQLError {
  return clientError('RATE_LIMITED', `Too many open subscriptions (at most ${limit} ${REFUSED_BY[refused]}); close one before opening another`, {
    fields: { limit },
  });
}
