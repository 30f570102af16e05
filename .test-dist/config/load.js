/**
 * Environment → typed, frozen configuration, parsed once, one section per subsystem. Every
 * bad or missing variable is reported together, one line each naming the variable, the rule
 * and the value's shape (ConfigError, ./problems.ts).
 *
 * A new variable is defined beside its section's parser (a `setting`, which the reference
 * docs/configuration.md is printed from) and read on every parse, not behind an `if`: the
 * names read are the names known, and a set variable with one of our prefixes that is not
 * among them stops start-up as a typo (./names.ts).
 */
import { builtInSandboxRefusals, CREDENTIAL_VARIABLES } from './built-in-sandbox.js';
import { parseAuth, parseBaseUrl, parseKsPay } from './kspay.js';
import { unknownVariables } from './names.js';
import { parseObservability } from './observability.js';
import { parseCache, parsePayments } from './payments.js';
import { ConfigError, problem, trackedEnv } from './problems.js';
import { parseRedis } from './redis.js';
import { parseDocuments, parseLimits, parseLive } from './requests.js';
import { parseServer, readHost, readNodeEnv } from './server.js';
import { read } from './settings.js';
import { parseWebhooks } from './webhooks.js';
export function loadConfig(source = process.env) {
    const { env, read: known, problems } = trackedEnv(source);
    let config = null;
    try {
        config = parseConfig(env);
    }
    catch (error) {
        if (!(error instanceof ConfigError))
            throw error;
        problems.push(...error.problems);
    }
    // With what an empty environment reads too, should a thrown ConfigError have cut this parse short.
    problems.push(...unknownVariables(source, new Set([...known, ...knownVariables()])));
    const [first, ...more] = problems;
    if (first)
        throw new ConfigError(first.variable, first.reason, more);
    return config;
}
/** Every variable this gateway reads: what .env.example must list. */
export function knownVariables() {
    const { env, read: known } = trackedEnv({});
    try {
        parseConfig(env);
    }
    catch (error) {
        if (!(error instanceof ConfigError))
            throw error;
    }
    return known;
}
function parseConfig(env) {
    const baseUrl = parseBaseUrl(env);
    const usesBuiltInSandbox = baseUrl === null;
    const auth = parseAuth(env, usesBuiltInSandbox);
    const host = readHost(env);
    const credentialsSet = CREDENTIAL_VARIABLES.filter((name) => read(env, name) !== undefined);
    // The sandbox's payments are not real, and it has no client auth and GraphiQL on: this machine only, never production.
    if (usesBuiltInSandbox) {
        for (const refusal of builtInSandboxRefusals({ nodeEnv: readNodeEnv(env), host, credentialsSet }))
            problem(env, refusal.variable, refusal.reason, null);
    }
    // Parsed first, as before the sections: problems are reported in the order of older releases.
    const cache = parseCache(env);
    const kspay = parseKsPay(env, baseUrl);
    return Object.freeze({
        kspay,
        auth,
        server: parseServer(env, usesBuiltInSandbox),
        redis: parseRedis(env),
        cache,
        payments: parsePayments(env),
        documents: parseDocuments(env, usesBuiltInSandbox),
        limits: parseLimits(env),
        live: parseLive(env),
        webhooks: parseWebhooks(env, kspay.timings),
        observability: parseObservability(env),
    });
}
