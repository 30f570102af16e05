/** The prefixes of the configuration table; a set variable with one of them must be a known name. */
export const OUR_PREFIXES = [
    'KSPAY_',
    'GATEWAY_',
    'WEBHOOK_',
    'REDIS_',
    'CATALOG_',
    'IDEMPOTENCY_',
    'CORS_',
    'MAX_',
    'PERSISTED_',
    'TRUSTED_',
    'REDIRECT_',
    'SETTLEMENT_',
    'ATTENTION_',
    'BATCH_',
    'SHUTDOWN_',
    'RECONCILIATION_',
    'SETTLED_',
];
/**
 * Variables that Kubernetes (service links: `REDIS_SERVICE_HOST`, `REDIS_PORT=tcp://…`, `REDIS_PORT_6379_TCP`, …)
 * put into every container by themselves: not a typo of ours.
 */
function isPlatformInjected(name, value) {
    return (/_SERVICE_(HOST|PORT)(_\w+)?$|_PORT_\d+_(TCP|UDP|SCTP)(_(PROTO|PORT|ADDR))?$/.test(name) || (/_PORT$/.test(name) && /^(tcp|udp|sctp):\/\//.test(value)));
}
export function unknownVariables(env, known) {
    const problems = [];
    for (const [name, value] of Object.entries(env)) {
        // An empty variable counts as unset (compose files pass `${X:-}` through), so it cannot mislead.
        if (!value?.trim() || known.has(name) || isPlatformInjected(name, value))
            continue;
        const prefix = OUR_PREFIXES.find((p) => name.startsWith(p));
        if (!prefix)
            continue;
        problems.push({ variable: name, reason: `is not a setting of this gateway; ${suggestion(name, prefix, known)}` });
    }
    return problems;
}
function suggestion(name, prefix, known) {
    const ranked = [...known].map((k) => ({ name: k, distance: editDistance(name, k) })).sort((a, b) => a.distance - b.distance);
    const best = ranked[0];
    if (best && best.distance <= Math.max(2, Math.floor(name.length / 4)))
        return `did you mean ${best.name}?`;
    const siblings = [...known].filter((k) => k.startsWith(prefix)).sort();
    return siblings.length ? `the ${prefix}… settings are ${siblings.join(', ')}` : 'see docs/configuration.md';
}
/** Levenshtein distance: insertions, deletions and substitutions each cost 1. */
function editDistance(a, b) {
    let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        const current = [i];
        for (let j = 1; j <= b.length; j++) {
            current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        }
        previous = current;
    }
    return previous[b.length];
}
