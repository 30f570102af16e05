import { ValidationError } from '../errors/gateway-errors.js';
import { builder } from './builder.js';
import { PaymentMethodRef } from './payment-method.js';
export const CurrencyType = builder.enumType('CurrencyType', { values: ['FIAT', 'CRYPTO'] });
export const CurrencyRef = builder.objectRef('Currency').implement({
    description: 'A currency the merchant app can take payments in. Read with catalog:read, wherever it appears.',
    interfaces: [builder.nodeInterfaceRef()],
    // Also where a transaction leads to it: a transactions-only key must not read the catalog through `transaction { currency }`.
    authScopes: { scope: 'catalog:read' },
    fields: (t) => ({
        id: t.exposeID('id'),
        code: t.exposeString('code'),
        name: t.exposeString('name'),
        symbol: t.exposeString('symbol'),
        type: t.expose('type', { type: CurrencyType }),
        isActive: t.exposeBoolean('isActive'),
        createdAt: t.field({ type: 'DateTime', nullable: true, resolve: (c) => c.createdAt }),
        decimalPlaces: t.exposeInt('decimalPlaces', {
            nullable: true,
            description: 'Decimal places KS Pay accepts for amounts, when the upstream reports it.',
        }),
        paymentMethods: t.field({
            type: [PaymentMethodRef],
            resolve: (currency, _args, { loaders }) => loaders.paymentMethodsByCurrency.load(currency.id),
        }),
    }),
});
builder.queryFields((t) => ({
    currencies: t.field({
        type: [CurrencyRef],
        authScopes: { scope: 'catalog:read' },
        args: { includeInactive: t.arg.boolean({ defaultValue: false, required: false }) },
        resolve: async (_root, { includeInactive }, { loaders }) => {
            const all = await loaders.allCurrencies();
            return includeInactive ? all : all.filter((c) => c.isActive);
        },
    }),
    currency: t.field({
        type: CurrencyRef,
        nullable: true,
        description: 'One currency, by id or by ISO code (give exactly one).',
        authScopes: { scope: 'catalog:read' },
        args: { id: t.arg.id({ required: false }), code: t.arg.string({ required: false }) },
        resolve: async (_root, { id, code }, { loaders }) => {
            if ((id == null) === (code == null))
                throw new ValidationError('id', 'Give exactly one of id or code');
            if (id != null)
                return loaders.currency.load(String(id));
            const wanted = code.toUpperCase();
            return (await loaders.allCurrencies()).find((c) => c.code.toUpperCase() === wanted) ?? null;
        },
    }),
}));
