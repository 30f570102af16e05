import { plainMessages, problem, shapeOf } from './problems.js';
/** The reference's sections, in its order; `tools` are read by npm scripts, not by the gateway. */
export const SECTIONS = {
    kspay: 'KS Pay upstream',
    auth: 'Client authentication',
    server: 'Listening, browsers and connections',
    redis: 'Shared state (Redis)',
    cache: 'Catalog cache',
    payments: 'Payments',
    documents: 'Documents and schema access',
    limits: 'Request limits',
    live: 'Subscriptions and WebSockets',
    webhooks: 'Webhooks',
    observability: 'Logs and traces',
    tools: 'The sandbox and the test runner (npm scripts, not the gateway)',
};
export function setting(section, name, fallback, meaning, shown) {
    return Object.freeze({ section, name, fallback, meaning, ...(shown === undefined ? {} : { shown }) });
}
/** An empty variable counts as unset. */
export function read(env, name) {
    const value = env[name]?.trim();
    return value ? value : undefined;
}
/**
 * Reports a value `schema` refuses in plain words (never zod's) with the value's shape, and
 * goes on with the default. `fallback` replaces the definition's default where it depends
 * on other settings (GRAPHIQL: on with the built-in sandbox).
 */
export function parseWith(env, definition, schema, fallback = definition.fallback) {
    const { name } = definition;
    const raw = read(env, name);
    if (raw === undefined)
        return fallback;
    const result = schema.safeParse(raw, { error: plainMessages });
    if (!result.success)
        return problem(env, name, `${result.error.issues[0]?.message ?? 'is not a valid value'} (${shapeOf(name, raw)})`, fallback);
    return result.data;
}
