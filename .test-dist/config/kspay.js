/** The KS Pay upstream (where, as whom, how patiently) and client authentication. */
import { z } from 'zod';
import { parseApiKeyTable } from './api-keys.js';
import { CREDENTIAL_VARIABLES } from './built-in-sandbox.js';
import { problem, shapeOf } from './problems.js';
import { count, milliseconds } from './rules.js';
import { parseWith, read, setting } from './settings.js';
import { KSPAY_CLIENT_TUNING } from './tuning.js';
import { SCOPES } from './types.js';
import { upstreamTimings } from './upstream-timings.js';
const KSPAY_HOSTS = {
    sandbox: 'https://pay-open-sandboxapi.kalp.studio',
    live: 'https://pay-open-liveapi.kalp.studio',
};
export const KSPAY_VARIABLES = {
    KSPAY_BASE_URL: setting('kspay', 'KSPAY_BASE_URL', null, "Where KS Pay is: `live`, `sandbox` (KS Pay's test host) or an http(s) URL. Unset, the gateway starts its built-in sandbox (fake payments), which is refused when NODE_ENV=production, KS Pay credentials are set or HOST is not a loopback address.", 'the built-in sandbox'),
    KSPAY_APP_ID: setting('kspay', 'KSPAY_APP_ID', null, "The merchant's app id: `ap_` and 9 letters or digits. Required with KSPAY_BASE_URL.", 'none'),
    KSPAY_ACCESS_KEY: setting('kspay', 'KSPAY_ACCESS_KEY', null, "The merchant's access key. Required with KSPAY_BASE_URL.", 'none'),
    KSPAY_SECRET_KEY: setting('kspay', 'KSPAY_SECRET_KEY', null, "The merchant's secret key. Required with KSPAY_BASE_URL.", 'none'),
    KSPAY_TIMEOUT_MS: setting('kspay', 'KSPAY_TIMEOUT_MS', 10_000, "One KS Pay call's time limit; the read-retry budget, the waits after a lost answer or a data loss and the locks of polls are multiples of it (the table below)."),
    KSPAY_MAX_RESPONSE_BYTES: setting('kspay', 'KSPAY_MAX_RESPONSE_BYTES', 4 * 1024 * 1024, 'The largest KS Pay response body the gateway reads; a larger one fails the call.'),
    GATEWAY_API_KEYS: setting('auth', 'GATEWAY_API_KEYS', null, 'JSON: client API key (at least 16 characters, not trivially weak) → list of scopes (`catalog:read`, `transactions:read`, `transactions:write`, `*`). Required against a real KS Pay unless GATEWAY_AUTH=off.', 'none (no client auth)'),
    GATEWAY_AUTH: setting('auth', 'GATEWAY_AUTH', undefined, '`off` runs against a real KS Pay without client auth (a warning is logged).', 'unset'),
};
const V = KSPAY_VARIABLES;
export function parseBaseUrl(env) {
    const raw = read(env, V.KSPAY_BASE_URL.name);
    if (raw === undefined)
        return null;
    if (raw === 'sandbox' || raw === 'live')
        return KSPAY_HOSTS[raw];
    const url = URL.parse(raw);
    if (url?.protocol !== 'http:' && url?.protocol !== 'https:') {
        // Not null: a value was given, so the built-in sandbox must not start in its place.
        return problem(env, 'KSPAY_BASE_URL', `must be an http(s) URL, 'sandbox' or 'live' (${shapeOf('KSPAY_BASE_URL', raw)})`, raw);
    }
    return raw.replace(/\/+$/, '');
}
/** The built-in sandbox uses its own demo app: credentials given with it are refused (./built-in-sandbox.ts). */
function parseCredentials(env, usesBuiltInSandbox) {
    const [appId, accessKey, secretKey] = CREDENTIAL_VARIABLES.map((name) => read(env, name));
    if (usesBuiltInSandbox)
        return null;
    if (!appId && !accessKey && !secretKey) {
        return problem(env, 'KSPAY_APP_ID', 'merchant credentials (KSPAY_APP_ID, KSPAY_ACCESS_KEY, KSPAY_SECRET_KEY) are required when KSPAY_BASE_URL is set', null);
    }
    const missing = CREDENTIAL_VARIABLES.filter((name) => !read(env, name));
    for (const name of missing)
        problem(env, name, 'is required when any KS Pay credential is set', null);
    if (appId && !/^ap_[A-Za-z0-9]{9}$/.test(appId)) {
        problem(env, 'KSPAY_APP_ID', `must be 'ap_' and 9 letters or digits, 12 characters in all, such as ap_DemoApp01 (${shapeOf('KSPAY_APP_ID', appId)})`, null);
    }
    if (!appId || !accessKey || !secretKey)
        return null;
    return { appId, accessKey, secretKey };
}
export function parseKsPay(env, baseUrl) {
    const timings = upstreamTimings(parseWith(env, V.KSPAY_TIMEOUT_MS, milliseconds));
    return Object.freeze({
        baseUrl,
        credentials: parseCredentials(env, baseUrl === null),
        timings,
        maxResponseBytes: parseWith(env, V.KSPAY_MAX_RESPONSE_BYTES, count),
        retry: Object.freeze({ ...KSPAY_CLIENT_TUNING.retry, budgetMs: timings.readRetryBudgetMs }),
        breaker: Object.freeze({ ...KSPAY_CLIENT_TUNING.breaker }),
        tokenRefreshMarginMs: KSPAY_CLIENT_TUNING.tokenRefreshMarginMs,
        accessTokenLifetimeMs: KSPAY_CLIENT_TUNING.accessTokenLifetimeMs,
    });
}
const GRANTS = [...SCOPES, '*'];
export function parseAuth(env, usesBuiltInSandbox) {
    const raw = read(env, V.GATEWAY_API_KEYS.name);
    const apiKeys = raw === undefined ? null : parseApiKeys(env, raw);
    const authOff = parseWith(env, V.GATEWAY_AUTH, z.literal('off', "the only accepted value is 'off'"));
    if (!usesBuiltInSandbox && raw === undefined && authOff === undefined) {
        problem(env, 'GATEWAY_API_KEYS', 'is required against a real KS Pay upstream (set GATEWAY_AUTH=off to run without client auth)', null);
    }
    return Object.freeze({ apiKeys });
}
function parseApiKeys(env, raw) {
    const parsed = parseApiKeyTable(raw, GRANTS);
    if (!('problems' in parsed))
        return parsed.keys;
    for (const reason of parsed.problems)
        problem(env, 'GATEWAY_API_KEYS', reason, null);
    return null;
}
