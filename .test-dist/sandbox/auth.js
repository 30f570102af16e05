/**
 * Who is calling: token generation and refresh, Bearer access tokens, and the
 * server-to-server x-signature on initiate. Secrets are compared in constant time.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { KSPAY_CODES } from '../kspay/types.js';
import { ApiError, header, requireId, stringField } from './api.js';
export const HEX_SIGNATURE = /^[0-9a-f]{64}$/i;
/** POST /auth/generate-token/{appId} */
export const generateToken = (request, { store }) => {
    const appId = requireId('app', request.params.appId);
    const app = store.app(appId);
    if (!app)
        throw new ApiError(404, KSPAY_CODES.APP_NOT_FOUND, 'Application not found for the app id');
    checkKeys(app, readKeys(request));
    return { status: 201, result: store.tokens.issue(app.id) };
};
/** POST /auth/refresh-token: single use; success spends the old refresh token. */
export const refreshToken = (request, { store }) => {
    const keys = readKeys(request);
    const token = tokenOf(header(request, 'authorization'));
    const appId = token ? store.tokens.refreshTokenApp(token) : null;
    const app = appId ? store.app(appId) : undefined;
    if (!token || !app)
        throw new ApiError(401, KSPAY_CODES.REFRESH_TOKEN_INVALID, 'Refresh token expired or invalid');
    checkKeys(app, keys);
    store.tokens.spendRefreshToken(token);
    return { status: 201, result: store.tokens.issue(app.id) };
};
/** The app of a valid `Authorization: Bearer <accessToken>`; throws 9000 or 9009. */
export function authenticate(request, store) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header(request, 'authorization') ?? '');
    const check = match ? store.tokens.checkAccess(match[1]) : null;
    if (check?.ok)
        return check.appId;
    if (check?.reason === 'expired')
        throw new ApiError(401, KSPAY_CODES.TOKEN_EXPIRED, 'Token has expired.');
    throw new ApiError(400, KSPAY_CODES.TOKEN_INVALID, 'Token missing or incorrect');
}
/** Throws 11006 unless the x-signature header looks like a signature at all. */
export function requireSignatureFormat(signature) {
    if (!signature || !HEX_SIGNATURE.test(signature.trim()))
        throw new ApiError(400, KSPAY_CODES.SIGNATURE_FORMAT_INVALID, 'Invalid signature format');
    return signature.trim().toLowerCase();
}
/**
 * The documented server-to-server variant of initiate: x-signature is the hex
 * HMAC-SHA256 of the raw body under the app's secret key. A wrong one is 401 9007
 * (bad credentials): the contract names no code for it.
 */
export function verifyBodySignature(request, app) {
    const given = requireSignatureFormat(header(request, 'x-signature'));
    const expected = createHmac('sha256', app.secretKey).update(request.rawBody).digest('hex');
    if (!timingSafeEqual(Buffer.from(given), Buffer.from(expected))) {
        throw new ApiError(401, KSPAY_CODES.BAD_CREDENTIALS, 'Unauthorized: bad credentials');
    }
}
/** Both keys, or 9002. One documented sample spells it `accesskey`. */
function readKeys(request) {
    const accessKey = stringField(request.body, 'accessKey', 'accesskey');
    const secretKey = stringField(request.body, 'secretKey', 'secretkey');
    if (!accessKey || !secretKey)
        throw new ApiError(400, KSPAY_CODES.API_KEY_MISSING, 'API key missing');
    return { accessKey, secretKey };
}
function checkKeys(app, keys) {
    if (!sameSecret(keys.accessKey, app.accessKey)) {
        throw new ApiError(400, KSPAY_CODES.ACCESS_KEY_UNKNOWN, 'Access key matches no active credentials');
    }
    if (!sameSecret(keys.secretKey, app.secretKey))
        throw new ApiError(400, KSPAY_CODES.SECRET_KEY_INVALID, 'Invalid secret key');
}
/** The refresh token from a raw Authorization header, tolerating a `Bearer ` prefix. */
function tokenOf(value) {
    const token = value?.trim().replace(/^Bearer\s+/i, '');
    return token ? token : null;
}
/** Constant-time comparison of two secrets of any length. */
function sameSecret(given, actual) {
    const digest = (text) => createHash('sha256').update(text).digest();
    return timingSafeEqual(digest(given), digest(actual));
}
