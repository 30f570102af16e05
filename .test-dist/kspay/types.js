/**
 * Wire types: the KS Pay REST contract (docs/kspay-api.md) exactly as it travels.
 * The sandbox serves these shapes and the client reads them; nothing else is shared
 * between the two. Optional fields are the ones a conforming server may omit.
 */
/** Id prefixes; every id is the prefix plus alphanumerics, 12 characters in all. */
export const ID_PREFIX = {
    currency: 'c_',
    paymentMethod: 'pm_',
    transaction: 'tx_',
    user: 'us_',
    app: 'ap_',
};
export const ID_LENGTH = 12;
export function isWellFormedId(kind, id) {
    const prefix = ID_PREFIX[kind];
    return id.length === ID_LENGTH && id.startsWith(prefix) && /^[A-Za-z0-9]+$/.test(id.slice(prefix.length));
}
export const KSPAY_ENDPOINTS = [
    'generateToken',
    'refreshToken',
    'currencies',
    'paymentMethods',
    'initiate',
    'process',
    'transaction',
    'transactions',
];
/**
 * KS Pay's numeric error codes by meaning: the contract's table plus the list
 * endpoint's paging and date codes. Some numbers carry two meanings, told apart by
 * the HTTP status (11005: 400 signature expired, 429 too many requests), or by the
 * endpoint (11006, 11011, 13007): read the status and the code together.
 */
export const KSPAY_CODES = {
    TOKEN_INVALID: 9000,
    API_KEY_MISSING: 9002,
    API_KEY_INVALID: 9005,
    BAD_CREDENTIALS: 9007,
    REFRESH_TOKEN_INVALID: 9008,
    TOKEN_EXPIRED: 9009,
    APP_NOT_FOUND: 11002,
    SECRET_KEY_INVALID: 11004,
    /** HTTP 400. */
    SIGNATURE_EXPIRED: 11005,
    /** HTTP 429, with Retry-After. */
    RATE_LIMITED: 11005,
    SIGNATURE_FORMAT_INVALID: 11006,
    /** On the transaction list. */
    DATE_RANGE_TOO_LONG: 11006,
    FROM_DATE_AFTER_TO_DATE: 11007,
    ACCESS_KEY_UNKNOWN: 11008,
    FROM_DATE_IN_FUTURE: 11009,
    DATE_RANGE_INCOMPLETE: 11010,
    /** HTTP 404. */
    APP_DISABLED: 11011,
    /** HTTP 400, on the transaction list. */
    TO_DATE_IN_FUTURE: 11011,
    CURRENCY_NOT_FOUND: 1052,
    PAYMENT_METHOD_NOT_FOUND: 12001,
    PAYMENT_METHOD_NOT_OF_CURRENCY: 13006,
    /** HTTP 400. */
    CURRENCY_INVALID: 13007,
    /** HTTP 403. */
    ORIGIN_DENIED: 13007,
    ID_INVALID: -3,
    ID_MISSING: -9,
    ID_MALFORMED: -17,
    AMOUNT_TOO_PRECISE: -19,
    NO_DATA: 24,
    INVALID_REQUEST: 25,
    SOMETHING_WENT_WRONG: 26,
    PROVIDER_ERROR: 27,
    PAGE_INVALID: 4089,
    LIMIT_INVALID: 4056,
};
