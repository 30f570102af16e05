/** The merchant app a fresh sandbox hands out as `credentials`. */
export const DEMO_APP = {
    id: 'ap_DemoApp01',
    name: 'Demo Shop',
    userId: 'us_DemoUser1',
    accessKey: 'ak_demo_7Hq2Lx9Vb4Nc',
    secretKey: 'sk_demo_Zr8Kp3Wm6Ty1Qs5Vd9Xf2Jh4Lb7Nc0',
};
/** A second merchant, so that tests can prove tokens and data are scoped per app. */
export const OTHER_APP = {
    id: 'ap_OtherApp1',
    name: 'Other Shop',
    userId: 'us_OtherUsr1',
    accessKey: 'ak_other_Pn5Rt8Yw2Ek6',
    secretKey: 'sk_other_Bq4Gv7Hx1Mz9Cw3Fk6Js8Lp2Td5Rn',
};
export const CURRENCY_IDS = {
    INR: 'c_DemoINR001',
    USD: 'c_DemoUSD001',
    EUR: 'c_DemoEUR001',
    USDT: 'c_DemoUSDT01',
    /** Inactive: initiating with it is refused. */
    JPY: 'c_DemoJPY001',
};
export const PAYMENT_METHOD_IDS = {
    INR_NET_BANKING: 'pm_InrNetBnk',
    INR_DEBIT_CARD: 'pm_InrDebitC',
    INR_UPI: 'pm_InrUpi001',
    /** Inactive. */
    INR_CREDIT_CARD: 'pm_InrCredit',
    USD_CREDIT_CARD: 'pm_UsdCardCC',
    USD_DEBIT_CARD: 'pm_UsdDebitC',
    EUR_SEPA: 'pm_EurSepa01',
    EUR_CREDIT_CARD: 'pm_EurCardCC',
    USDT_WALLET: 'pm_UsdtWalet',
    JPY_CREDIT_CARD: 'pm_JpyCardCC',
};
const pm = PAYMENT_METHOD_IDS;
const CREATED_AT = '2024-08-03T11:57:59.647Z';
/** The demo app's catalog: fiat and crypto, one inactive currency, one inactive method. */
export const FIXTURE_CURRENCIES = [
    {
        id: CURRENCY_IDS.INR,
        name: 'Rupees',
        code: 'INR',
        symbol: 'Rs',
        type: 'FIAT',
        decimalPlaces: 2,
        isActive: true,
        createdAt: CREATED_AT,
        paymentMethods: [
            { id: pm.INR_NET_BANKING, name: 'NET BANKING', isActive: true },
            { id: pm.INR_DEBIT_CARD, name: 'DEBIT CARD', isActive: true },
            { id: pm.INR_UPI, name: 'UPI', isActive: true },
            { id: pm.INR_CREDIT_CARD, name: 'CREDIT CARD', isActive: false },
        ],
    },
    {
        id: CURRENCY_IDS.USD,
        name: 'US Dollar',
        code: 'USD',
        symbol: '$',
        type: 'FIAT',
        decimalPlaces: 2,
        isActive: true,
        createdAt: '2024-08-03T12:01:14.201Z',
        paymentMethods: [
            { id: pm.USD_CREDIT_CARD, name: 'CREDIT CARD', isActive: true },
            { id: pm.USD_DEBIT_CARD, name: 'DEBIT CARD', isActive: true },
        ],
    },
    {
        id: CURRENCY_IDS.EUR,
        name: 'Euro',
        code: 'EUR',
        symbol: '€',
        type: 'FIAT',
        decimalPlaces: 2,
        isActive: true,
        createdAt: '2024-08-03T12:02:40.918Z',
        paymentMethods: [
            { id: pm.EUR_SEPA, name: 'SEPA', isActive: true },
            { id: pm.EUR_CREDIT_CARD, name: 'CREDIT CARD', isActive: true },
        ],
    },
    {
        id: CURRENCY_IDS.USDT,
        name: 'Tether',
        code: 'USDT',
        symbol: '₮',
        type: 'CRYPTO',
        decimalPlaces: 6,
        isActive: true,
        createdAt: '2024-08-05T09:30:00.000Z',
        paymentMethods: [{ id: pm.USDT_WALLET, name: 'WALLET', isActive: true }],
    },
    {
        id: CURRENCY_IDS.JPY,
        name: 'Japanese Yen',
        code: 'JPY',
        symbol: '¥',
        type: 'FIAT',
        decimalPlaces: 0,
        isActive: false,
        createdAt: '2024-08-06T08:15:00.000Z',
        paymentMethods: [{ id: pm.JPY_CREDIT_CARD, name: 'CREDIT CARD', isActive: true }],
    },
];
/** The other app's catalog: its own ids, none shared with the demo app. */
export const OTHER_APP_CURRENCIES = [
    {
        id: 'c_OtherINR01',
        name: 'Rupees',
        code: 'INR',
        symbol: 'Rs',
        type: 'FIAT',
        decimalPlaces: 2,
        isActive: true,
        createdAt: CREATED_AT,
        paymentMethods: [{ id: 'pm_OtherUpi1', name: 'UPI', isActive: true }],
    },
];
export const FIXTURE_SEED = [
    { app: DEMO_APP, currencies: FIXTURE_CURRENCIES },
    { app: OTHER_APP, currencies: OTHER_APP_CURRENCIES },
];
/** Ids for GraphiQL's example tabs and the README: an active currency and one of its methods. */
export function exampleIdsOf() {
    return { currencyId: CURRENCY_IDS.INR, paymentMethodId: PAYMENT_METHOD_IDS.INR_NET_BANKING };
}
