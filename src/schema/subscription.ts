/**
 * Live updates of one transaction, over Server-Sent Events (yoga's built-in SSE: send
 * the subscription with `Accept: text/event-stream`). The stream opens with the current
 * state and completes after a final status.
 */
import { NotFoundError } from '../errors.js';
import { builder } from './builder.js';
import { TransactionRef } from './transaction.js';
import { requireId } from './validation.js';
import type { Transaction } from '../kspay/models.js';

builder.subscriptionFields((t) => ({
  transactionUpdated: t.field({
    type: TransactionRef,
    description: 'The transaction now, then every change of it, until SUCCESS or FAILED.',
    authScopes: { scope: 'transactions:read' },
    args: { id: t.arg.id({ required: true }) },
    subscribe: async (_root, { id }, { loaders, updates }) => {
      const transactionId = requireId('transaction', 'id', id);
      const current = await loaders.transaction.load(transactionId);
      if (!current) throw new NotFoundError('Transaction', transactionId);
      return updates.watch(transactionId, current);
    },
    resolve: (transaction: Transaction) => transaction,
  }),
}));
