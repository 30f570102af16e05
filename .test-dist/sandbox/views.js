const DEFAULT_SHAPES = {
    envelope: true,
    initiate: 'full',
    list: 'paged',
    extraFields: false,
    omitOptional: false,
};
export class ShapeState {
    #shapes = DEFAULT_SHAPES;
    set(settings) {
        const defined = Object.fromEntries(Object.entries(settings).filter(([, value]) => value !== undefined));
        this.#shapes = { ...this.#shapes, ...defined };
    }
    reset() {
        this.#shapes = DEFAULT_SHAPES;
    }
    current() {
        return this.#shapes;
    }
}
/** Drops `optional` keys when the shapes say so; callers list only keys their wire type marks optional. */
function omitting(shapes, full, optional) {
    if (!shapes.omitOptional)
        return full;
    const copy = { ...full };
    for (const key of optional)
        delete copy[key];
    return copy;
}
/**
 * The JSON number for an amount. Exact: initiate accepts at most 15 significant
 * digits, and JavaScript prints such a number back as the same decimal text.
 */
export function wireAmount(amountText) {
    return Number(amountText);
}
export function currencyView(currency, app, shapes) {
    const { paymentMethods: _methods, ...fields } = currency;
    return omitting(shapes, { ...fields, userId: app.userId }, ['userId', 'createdAt', 'decimalPlaces']);
}
export function paymentMethodView(method) {
    return { id: method.id, name: method.name, isActive: method.isActive };
}
export function transactionView(t, shapes) {
    const full = {
        pe_txnId: t.id,
        referenceNumber: t.referenceNumber,
        amount: wireAmount(t.amount),
        currency: t.currencyCode,
        currencyId: t.currencyId,
        paymentMethodId: t.paymentMethodId,
        status: t.status,
        providerOrderId: t.providerOrderId,
        providerPaymentId: t.providerPaymentId,
        redirectUrl: t.redirectUrl,
        createdAt: t.createdAt,
        updatedAt: t.updatedAt,
    };
    return omitting(shapes, full, [
        'referenceNumber',
        'currency',
        'currencyId',
        'paymentMethodId',
        'providerOrderId',
        'providerPaymentId',
        'redirectUrl',
        'createdAt',
        'updatedAt',
    ]);
}
export function initiateView(t, signature, shapes) {
    if (shapes.initiate === 'signatureOnly')
        return { signature };
    const full = {
        pe_txnId: t.id,
        providerOrderId: t.providerOrderId,
        amount: wireAmount(t.amount),
        currency: t.currencyCode,
        signature,
    };
    return omitting(shapes, full, ['pe_txnId', 'providerOrderId', 'amount', 'currency']);
}
/** The provider order that the merchant's front end hands to the KS Pay checkout. */
export function processView(t, publicUrl) {
    return {
        order: {
            id: t.providerOrderId,
            amount: wireAmount(t.amount),
            currency: t.currencyCode,
            receipt: t.referenceNumber,
            status: 'created',
            checkoutUrl: `${publicUrl}/checkout/${t.id}`,
            kspayId: t.id,
        },
    };
}
/** A success body: the envelope around `result`, or `result` alone. */
export function successBody(status, result, shapes) {
    const body = shapes.envelope ? { status, message: 'success', result } : result;
    return shapes.extraFields ? withExtraFields(body) : body;
}
/** An error body: always the envelope, never a `result`. */
export function errorBody(status, code, message, shapes) {
    const body = { status, message, code };
    return shapes.extraFields ? withExtraFields(body) : body;
}
/** Adds fields no reader knows to every object, deeply. */
function withExtraFields(value) {
    if (Array.isArray(value))
        return value.map(withExtraFields);
    if (value === null || typeof value !== 'object')
        return value;
    const copy = {};
    for (const [key, inner] of Object.entries(value))
        copy[key] = withExtraFields(inner);
    copy.x_sandbox_extra = 'ignore me';
    copy.__meta = { source: 'kspay-sandbox', nested: [1, 'two'] };
    return copy;
}
