import { ID_LENGTH, ID_PREFIX, KSPAY_CODES, isWellFormedId } from '../kspay/types.js';
/** A documented KS Pay error: HTTP status, numeric code, message. */
export class ApiError extends Error {
    status;
    code;
    constructor(status, code, message) {
        super(message);
        this.status = status;
        this.code = code;
        this.name = 'ApiError';
    }
}
/** -17: the id has the wrong prefix or length (the documented message). */
export function malformedId(kind) {
    return new ApiError(400, KSPAY_CODES.ID_MALFORMED, `ID must start with '${ID_PREFIX[kind]}' and be ${ID_LENGTH} characters long`);
}
/** Throws -17 unless `value` is a well-formed id of `kind`. */
export function requireId(kind, value) {
    if (typeof value !== 'string' || !isWellFormedId(kind, value))
        throw malformedId(kind);
    return value;
}
/** One header's value (the first, when repeated). */
export function header(request, name) {
    const value = request.headers[name.toLowerCase()];
    return Array.isArray(value) ? value[0] : value;
}
/** A non-empty string field of the body, or undefined. */
export function stringField(body, ...names) {
    for (const name of names) {
        const value = body[name];
        if (typeof value === 'string' && value.trim() !== '')
            return value;
    }
    return undefined;
}
