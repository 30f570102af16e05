/**
 * The catalog endpoints: the app's currencies and each currency's payment methods.
 */
import { KSPAY_CODES } from '../kspay/types.js';
import { ApiError, requireId } from './api.js';
import { authenticate } from './auth.js';
import { currencyView, paymentMethodView } from './views.js';
/** GET /currencies: all of the app's currencies, inactive ones included (isActive tells). */
export const currencies = (request, { store, shapes }) => {
    const appId = authenticate(request, store);
    const app = store.app(appId);
    return { status: 200, result: store.currencies(appId).map((c) => currencyView(c, app, shapes)) };
};
/** GET /{currencyId}/payment-methods */
export const paymentMethods = (request, { store }) => {
    const appId = authenticate(request, store);
    const currencyId = requireId('currency', request.params.currencyId);
    const currency = store.currency(appId, currencyId);
    if (!currency)
        throw new ApiError(400, KSPAY_CODES.CURRENCY_NOT_FOUND, "Currency doesn't exist");
    return { status: 200, result: currency.paymentMethods.map(paymentMethodView) };
};
