/**
 * When the built-in sandbox may start. Its payments are not real, so it starts only when
 * nothing says "production": a forgotten or misspelled KSPAY_BASE_URL in a real deployment
 * must stop start-up, not answer customers' payments with fake successes.
 */
import type { ConfigProblem } from './problems.js';

export const CREDENTIAL_VARIABLES = ['KSPAY_APP_ID', 'KSPAY_ACCESS_KEY', 'KSPAY_SECRET_KEY'] as const;

const SET_IT = "set KSPAY_BASE_URL to KS Pay ('live', 'sandbox' or a URL)";

/** Loopback hosts: reachable from this machine only. */
function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
}

/**
 * Why the built-in sandbox must not start here (KSPAY_BASE_URL is unset), one problem per
 * sign of production; none on a developer's machine.
 */
export function builtInSandboxRefusals(signs: { nodeEnv: string | undefined; host: string; credentialsSet: readonly string[] }): ConfigProblem[] {
  const refusals: ConfigProblem[] = [];
  const refuse = (because: string, otherwise: string) =>
    refusals.push({
      variable: 'KSPAY_BASE_URL',
      reason: `is not set, but ${because}: the built-in sandbox (fake payments) starts only outside production; ${SET_IT}${otherwise}`,
    });
  if (signs.nodeEnv === 'production') refuse('NODE_ENV=production', '');
  if (signs.credentialsSet.length > 0) {
    refuse(
      `${signs.credentialsSet.join(', ')} ${signs.credentialsSet.length === 1 ? 'is' : 'are'} set (the built-in sandbox would never use them)`,
      ', or unset the credentials',
    );
  }
  if (!isLoopback(signs.host)) refuse(`HOST=${signs.host} is not a loopback address`, ', or HOST=127.0.0.1 to keep the sandbox on this machine');
  return refusals;
}
