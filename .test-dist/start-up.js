/**
 * Start-up checks that need more than the environment: the Node.js version, and KS Pay's
 * answer to the merchant credentials. A definitive "no" from KS Pay stops start-up naming
 * the variables to fix; an unreachable KS Pay does not (the gateway starts, says so, and
 * keeps trying in the background: /health/dependencies reports it meanwhile).
 */
import { ConfigError } from './config.js';
import { isKsPayError } from './kspay/kspay-error.js';
import { KSPAY_CODES } from './kspay/types.js';
import { catalogKeys } from './reads/catalog-cache.js';
/** Node 20 is end of life; the dependencies declare 22.15 and later. */
export function unsupportedNodeLine(version = process.versions.node) {
    const [major, minor] = version.split('.').map(Number);
    if (major > 22 || (major === 22 && minor >= 15))
        return null;
    return `Node.js ${version} is not supported: run the gateway on Node 24 (LTS) or 22.15 and later (npm start, npm test and npm run start:production use the Node 24 that npm ci installs).`;
}
/** The one line the built-in sandbox mode prints, so nobody mistakes it for a payment processor. */
export function builtInSandboxLine(url) {
    return `Built-in KS Pay sandbox at ${url}: payments here are NOT real. Set KSPAY_BASE_URL (and the KSPAY_* credentials) to take real payments.`;
}
const CREDENTIALS = 'KSPAY_APP_ID, KSPAY_ACCESS_KEY, KSPAY_SECRET_KEY';
/** The variable a KS Pay login code points at first. */
const SUSPECT = {
    [KSPAY_CODES.APP_NOT_FOUND]: 'KSPAY_APP_ID',
    [KSPAY_CODES.APP_DISABLED]: 'KSPAY_APP_ID',
    [KSPAY_CODES.ID_MALFORMED]: 'KSPAY_APP_ID',
    [KSPAY_CODES.ACCESS_KEY_UNKNOWN]: 'KSPAY_ACCESS_KEY',
    [KSPAY_CODES.SECRET_KEY_INVALID]: 'KSPAY_SECRET_KEY',
};
/** KS Pay understood the login and said no: retrying cannot help. */
function credentialsRefused(error) {
    return isKsPayError(error) && error.reason === 'rejected' && (error.endpoint === 'generateToken' || error.endpoint === 'refreshToken');
}
function refusalReason(error, baseUrl) {
    const origin = URL.parse(baseUrl)?.origin ?? 'KS Pay';
    const code = error.code === null ? '' : `, KS Pay code ${error.code}`;
    const suspect = error.code === null ? undefined : SUSPECT[error.code];
    const hint = suspect ? `check ${suspect} first` : 'check all three';
    return `KS Pay at ${origin} refused these merchant credentials (HTTP ${error.httpStatus}${code}): ${hint}; sandbox and live credentials differ`;
}
/**
 * Logs in to KS Pay with one authenticated read, the currency list, kept in the catalog
 * cache for the first clients. Rejects with a ConfigError naming the credential variables
 * when KS Pay refuses them; otherwise resolves, and when KS Pay could not be reached, keeps
 * trying in the background until it answers.
 */
export async function checkKsPayAtStart(app, baseUrl) {
    const { cache, client, logger } = app;
    const readCurrencies = () => cache.get(catalogKeys.currencies(client.appId), () => client.currencies());
    try {
        await readCurrencies();
        return;
    }
    catch (error) {
        if (credentialsRefused(error))
            throw new ConfigError(CREDENTIALS, refusalReason(error, baseUrl));
        logger.warn({ reason: isKsPayError(error) ? error.reason : 'unknown' }, 'KS Pay not reachable at start-up; serving anyway and retrying in the background (see /health/dependencies)');
    }
    retryInBackground(readCurrencies, baseUrl, logger);
}
const FIRST_RETRY_MS = 1_000;
const MAX_RETRY_MS = 30_000;
function retryInBackground(readCurrencies, baseUrl, logger, delayMs = FIRST_RETRY_MS) {
    const timer = setTimeout(() => {
        readCurrencies().then(() => logger.info('KS Pay reachable now; merchant credentials accepted'), (error) => {
            if (credentialsRefused(error))
                logger.error(`${CREDENTIALS}: ${refusalReason(error, baseUrl)}`);
            else
                retryInBackground(readCurrencies, baseUrl, logger, Math.min(delayMs * 2, MAX_RETRY_MS));
        });
    }, delayMs);
    // Never what keeps the process alive.
    timer.unref();
}
