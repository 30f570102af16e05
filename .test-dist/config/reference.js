/**
 * docs/configuration.md, printed from the variables' definitions (each section's
 * `*_VARIABLES`) and the jobs of KSPAY_TIMEOUT_MS, so the reference says what the code does.
 * `npm run config:docs` writes it; `npm run config:check` (CI) fails when it is stale.
 */
import { KSPAY_VARIABLES } from './kspay.js';
import { OBSERVABILITY_VARIABLES, VARIABLES_READ_ELSEWHERE } from './observability.js';
import { PAYMENTS_VARIABLES } from './payments.js';
import { REDIS_VARIABLES } from './redis.js';
import { REQUEST_VARIABLES } from './requests.js';
import { SERVER_VARIABLES } from './server.js';
import { SECTIONS } from './settings.js';
import { TIMEOUT_JOBS } from './upstream-timings.js';
import { WEBHOOK_VARIABLES } from './webhooks.js';
/** Every variable loadConfig reads, by definition. */
export const CONFIG_VARIABLES = [
    KSPAY_VARIABLES,
    SERVER_VARIABLES,
    REDIS_VARIABLES,
    PAYMENTS_VARIABLES,
    REQUEST_VARIABLES,
    WEBHOOK_VARIABLES,
    OBSERVABILITY_VARIABLES,
].flatMap((table) => Object.values(table));
/** And those read elsewhere (OpenTelemetry, the npm scripts): the reference lists both. */
export const ALL_VARIABLES = [...CONFIG_VARIABLES, ...VARIABLES_READ_ELSEWHERE];
function shownDefault(variable) {
    if (variable.shown !== undefined)
        return variable.shown;
    const value = variable.fallback;
    if (Array.isArray(value))
        return value.length ? `\`${value.join(',')}\`` : 'none';
    if (value === null || value === undefined)
        return 'unset';
    return `\`${String(value)}\``;
}
/** A table cell: no pipe or line break may end it early. */
function cell(text) {
    return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}
function anchor(title) {
    return title
        .toLowerCase()
        .replace(/[^a-z0-9 -]/g, '')
        .replaceAll(' ', '-');
}
function sectionTable(section) {
    const rows = ALL_VARIABLES.filter((variable) => variable.section === section);
    const table = ['| Variable | Default | Meaning |', '|---|---|---|', ...rows.map((v) => `| \`${v.name}\` | ${cell(shownDefault(v))} | ${cell(v.meaning)} |`)];
    if (section !== 'kspay')
        return table;
    const jobs = Object.entries(TIMEOUT_JOBS).map(([job, { times, meaning }]) => `| \`kspay.timings.${job}\` | ${times} × KSPAY_TIMEOUT_MS | ${cell(meaning)} |`);
    return [...table, '', 'What KSPAY_TIMEOUT_MS sets (src/config/upstream-timings.ts):', '', '| Setting | Value | Meaning |', '|---|---|---|', ...jobs];
}
export function renderReference() {
    const sections = Object.entries(SECTIONS);
    return [
        '# Configuration reference',
        '',
        '<!-- Printed by `npm run config:docs` from src/config/ (each variable is defined beside its parser); `npm run config:check` fails when this file is stale. Do not edit it by hand. -->',
        '',
        'The gateway reads its configuration from environment variables once, at start-up (src/config/load.ts).',
        'An empty variable counts as unset. Every problem is reported at once, one line each naming the variable',
        "and the rule, never a secret's text; a set variable with one of the gateway's prefixes (`KSPAY_`, `GATEWAY_`,",
        '`REDIS_`, `WEBHOOK_`, `MAX_`, …) that it does not know stops start-up with a "did you mean". `.env.example`',
        'lists every variable the gateway reads. Values no variable sets (server timeouts, poll and retry pacing) are',
        'named in src/config/tuning.ts.',
        '',
        ...sections.map(([name, title]) => `- [${title}](#${anchor(title)})${name === 'tools' ? '' : ` (\`config.${name}\`)`}`),
        '',
        ...sections.flatMap(([name, title]) => [`## ${title}`, '', ...sectionTable(name), '']),
    ].join('\n');
}
