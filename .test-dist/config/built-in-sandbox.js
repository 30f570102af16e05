export const CREDENTIAL_VARIABLES = ['KSPAY_APP_ID', 'KSPAY_ACCESS_KEY', 'KSPAY_SECRET_KEY'];
const SET_IT = "set KSPAY_BASE_URL to KS Pay ('live', 'sandbox' or a URL)";
/** Loopback hosts: reachable from this machine only. */
function isLoopback(host) {
    return host === 'localhost' || host === '::1' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
}
/**
 * Why the built-in sandbox must not start here (KSPAY_BASE_URL is unset), one problem per
 * sign of production; none on a developer's machine.
 */
export function builtInSandboxRefusals(signs) {
    const refusals = [];
    const refuse = (because, otherwise) => refusals.push({
        variable: 'KSPAY_BASE_URL',
        reason: `is not set, but ${because}: the built-in sandbox (fake payments) starts only outside production; ${SET_IT}${otherwise}`,
    });
    if (signs.nodeEnv === 'production')
        refuse('NODE_ENV=production', '');
    if (signs.credentialsSet.length > 0) {
        refuse(`${signs.credentialsSet.join(', ')} ${signs.credentialsSet.length === 1 ? 'is' : 'are'} set (the built-in sandbox would never use them)`, ', or unset the credentials');
    }
    if (!isLoopback(signs.host))
        refuse(`HOST=${signs.host} is not a loopback address`, ', or HOST=127.0.0.1 to keep the sandbox on this machine');
    return refusals;
}
