/**
 * Input checks that run before any upstream call. Each failure is a ValidationError
 * naming the field, so a client can point at the input that was wrong.
 */
import { ValidationError } from '../errors/gateway-errors.js';
import { fitsJsonNumber, MAX_EXACT_DIGITS, parseAmount } from '../kspay/money.js';
import { ID_LENGTH, ID_PREFIX, isWellFormedId } from '../kspay/types.js';
import { normaliseRedirectUrl } from '../payments/redirect-url.js';
/** The gateway's own ceiling; KS Pay then applies each currency's places (its -19). */
export const MAX_AMOUNT_PLACES = 8;
/** Digits before the point: far beyond any payment, well inside exact JSON numbers. */
const MAX_INTEGER_DIGITS = 13;
export function requireId(kind, field, value) {
    const id = String(value);
    if (!isWellFormedId(kind, id)) {
        throw new ValidationError(field, `${field} must start with '${ID_PREFIX[kind]}' and be ${ID_LENGTH} letters and digits long`);
    }
    return id;
}
export function requireAmount(field, raw) {
    const result = parseAmount(raw, MAX_AMOUNT_PLACES);
    if (!result.ok) {
        const why = {
            NOT_A_DECIMAL: 'must be a decimal number written as a string, e.g. "345.67"',
            NOT_POSITIVE: 'must be greater than zero',
            TOO_MANY_PLACES: `may have at most ${MAX_AMOUNT_PLACES} decimal places`,
        }[result.error];
        throw new ValidationError(field, `${field} ${why}`);
    }
    if (result.amount.text.split('.')[0].length > MAX_INTEGER_DIGITS) {
        throw new ValidationError(field, `${field} is too large`);
    }
    // KS Pay takes a JSON number: more digits would arrive rounded, and a payment is never rounded.
    if (!fitsJsonNumber(result.amount)) {
        throw new ValidationError(field, `${field} may have at most ${MAX_EXACT_DIGITS} significant digits, so that KS Pay receives it exactly`);
    }
    return result.amount;
}
/** The URL as it will be sent (parsed and normalised), or a ValidationError saying what is wrong. */
export function requireRedirectUrl(field, raw, allowedHosts) {
    const checked = normaliseRedirectUrl(raw, allowedHosts);
    if (!checked.ok)
        throw new ValidationError(field, `${field} ${checked.problem}`);
    return checked.url;
}
/** 1–64 printable ASCII characters, no spaces at either end. */
export function requireReference(field, raw) {
    if (!/^[\x21-\x7e](?:[\x20-\x7e]{0,62}[\x21-\x7e])?$/.test(raw)) {
        throw new ValidationError(field, `${field} must be 1–64 printable characters with no leading or trailing space`);
    }
    return raw;
}
export function requireSignature(field, raw) {
    if (!/^[A-Za-z0-9+/=_.-]{16,512}$/.test(raw)) {
        throw new ValidationError(field, `${field} must be the signature returned by initiateTransaction`);
    }
    return raw;
}
