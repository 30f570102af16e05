import { builder } from './builder.js';
import { requireId } from './validation.js';
export const PaymentMethodRef = builder.objectRef('PaymentMethod').implement({
    description: 'A way to pay (card, net banking, UPI, …) offered for a currency. Read with catalog:read, wherever it appears.',
    interfaces: [builder.nodeInterfaceRef()],
    authScopes: { scope: 'catalog:read' },
    fields: (t) => ({
        id: t.exposeID('id'),
        name: t.exposeString('name'),
        isActive: t.exposeBoolean('isActive'),
    }),
});
builder.queryFields((t) => ({
    paymentMethods: t.field({
        type: [PaymentMethodRef],
        authScopes: { scope: 'catalog:read' },
        args: { currencyId: t.arg.id({ required: true }) },
        resolve: (_root, { currencyId }, { loaders }) => loaders.paymentMethodsByCurrency.load(requireId('currency', 'currencyId', currencyId)),
    }),
}));
