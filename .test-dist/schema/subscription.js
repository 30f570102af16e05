import { NotFoundError } from '../errors/gateway-errors.js';
import { builder } from './builder.js';
import { TransactionRef } from './transaction.js';
import { requireId } from './validation.js';
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
            if ('refused' in slot)
                throw tooManySubscriptions(slot);
            try {
                const current = await loaders.transaction.load(transactionId);
                if (!current)
                    throw new NotFoundError('Transaction', transactionId);
                return updates.watch(transactionId, current, slot);
            }
            catch (error) {
                slot.release();
                throw error;
            }
        },
        resolve: (transaction) => transaction,
    }),
}));
const REFUSED_BY = {
    address: 'from one client address',
    key: 'per API key',
    total: 'on this gateway instance',
};
function tooManySubscriptions({ refused, limit }) {
    return clientError('RATE_LIMITED', `Too many open subscriptions (at most ${limit} ${REFUSED_BY[refused]}); close one before opening another`, {
        fields: { limit },
    });
}
