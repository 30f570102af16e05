/** One or more configuration problems; `message` holds one `VARIABLE: reason` line per problem. */
export class ConfigError extends Error {
    variable;
    problems;
    constructor(variable, reason, more = []) {
        const problems = [{ variable, reason }, ...more];
        super(problems.map((p) => `${p.variable}: ${p.reason}`).join('\n'));
        this.name = 'ConfigError';
        this.variable = variable;
        this.problems = problems;
    }
}
const tracked = new WeakMap();
/**
 * `source` seen through a proxy that records every variable name read from it: the names
 * the configuration parses are, by construction, the names it knows.
 */
export function trackedEnv(source) {
    const tracking = { read: new Set(), problems: [] };
    const env = new Proxy(source, {
        get(target, name) {
            if (typeof name === 'string')
                tracking.read.add(name);
            return Reflect.get(target, name);
        },
    });
    tracked.set(env, tracking);
    return { env, read: tracking.read, problems: tracking.problems };
}
/**
 * Records a problem and carries on with `fallback`, so later variables are still checked.
 * Outside a tracked parse it throws at once.
 */
export function problem(env, variable, reason, fallback) {
    const tracking = tracked.get(env);
    if (!tracking)
        throw new ConfigError(variable, reason);
    tracking.problems.push({ variable, reason });
    return fallback;
}
/** Names whose values are secrets, or may hold one (a URL with a password). */
function isSecret(variable, value) {
    return /KEY|SECRET|PASSWORD|TOKEN|CREDENTIAL/.test(variable) || /:\/\/[^/@]*@/.test(value) || /REDIS_(URL|SENTINELS|CLUSTER)/.test(variable);
}
/** The value as the message may show it: quoted when harmless and short, else only its length. */
export function shapeOf(variable, value) {
    const length = `${value.length} character${value.length === 1 ? '' : 's'}`;
    if (isSecret(variable, value))
        return `got ${length}, not shown`;
    // biome-ignore lint/suspicious/noControlCharactersInRegex: a control character is exactly what must not be echoed
    if (value.length > 60 || /[\u0000-\u001f]/.test(value))
        return `got ${length}`;
    return `got ${JSON.stringify(value)}`;
}
/**
 * zod's own wording ("Invalid input: expected number, received NaN") in plain words. Rules a
 * schema states itself (`.min(16, 'must be …')`) keep their message: this map is the fallback.
 */
export const plainMessages = (issue) => {
    switch (issue.code) {
        case 'invalid_type':
            if (issue.expected === 'number' || issue.expected === 'int')
                return 'must be a whole number';
            return `must be ${article(issue.expected)}`;
        case 'too_small':
            return issue.origin === 'string' ? `must be at least ${issue.minimum} characters` : `must be at least ${issue.minimum}`;
        case 'too_big':
            return issue.origin === 'string' ? `must be at most ${issue.maximum} characters` : `must be at most ${issue.maximum}`;
        case 'invalid_value':
            return `must be one of ${issue.values.map((v) => String(v)).join(', ')}`;
        case 'invalid_format':
            return issue.format === 'url' ? 'must be a URL' : `must be ${article(issue.format)}`;
        default:
            return 'is not a valid value';
    }
};
function article(noun) {
    return /^[aeiou]/i.test(noun) ? `an ${noun}` : `a ${noun}`;
}
