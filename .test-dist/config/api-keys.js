/**
 * GATEWAY_API_KEYS: a JSON object of client API key → list of scopes. Every problem is
 * returned, each naming the key by its position and length, never by its text.
 */
import { weakness } from './key-strength.js';
const SHAPE = 'must be a JSON object of API key → list of scopes, such as {"<key>":["catalog:read"]}';
export function parseApiKeyTable(raw, grants) {
    let json;
    try {
        json = JSON.parse(raw);
    }
    catch {
        return { problems: [`${SHAPE} (got ${raw.length} characters that are not JSON)`] };
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json))
        return { problems: [`${SHAPE} (got ${Array.isArray(json) ? 'an array' : typeof json})`] };
    const entries = Object.entries(json);
    if (entries.length === 0)
        return { problems: ['has no keys'] };
    const problems = [];
    entries.forEach(([key, scopes], index) => {
        const which = `key ${index + 1} of ${entries.length} (${key.length} characters)`;
        const weak = key.length < 16 ? 'is shorter than 16 characters: each API key must be at least 16 characters' : weakness(key);
        if (weak)
            problems.push(`${which} ${weak}`);
        if (!Array.isArray(scopes) || scopes.length === 0) {
            problems.push(`${which} needs a list of at least one scope: ${grants.join(', ')}`);
            return;
        }
        for (const scope of scopes.filter((s) => !grants.includes(s))) {
            problems.push(`${which} has an unknown scope ${JSON.stringify(scope)}: the scopes are ${grants.join(', ')}`);
        }
    });
    return problems.length ? { problems } : { keys: new Map(entries) };
}
