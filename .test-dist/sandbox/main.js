/**
 * The sandbox on its own: `npm run sandbox`. Listens on SANDBOX_PORT (default 4010; never
 * PORT, which a shell may hold for the gateway) and HOST (default 127.0.0.1). Prints the demo merchant's credentials and a
 * ready-to-paste command that runs the gateway against it. They are the built-in sandbox's
 * demo credentials (src/sandbox/fixtures.ts), valid nowhere else, so printing them —
 * secret key included — gives nothing away.
 */
import { randomBytes } from 'node:crypto';
import { listenErrorLine } from '../http/listen-error.js';
import { startSandbox } from './server.js';
/** The port, from SANDBOX_PORT alone: a shell with PORT=4000 exported must not put the sandbox on the gateway's port. */
function portFromEnv() {
    const variable = 'SANDBOX_PORT';
    const raw = process.env[variable] || '4010';
    const port = Number(raw);
    if (!/^\d+$/.test(raw) || port > 65_535) {
        console.error(`Configuration error: ${variable} must be a port number, got ${JSON.stringify(raw)}`);
        process.exit(1);
    }
    return { port, variable };
}
/** Quotes a value for a POSIX shell when it needs it. */
function shellWord(value) {
    return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;
}
/** `npm start` for a gateway over this sandbox, with a fresh client API key (client auth is required against any upstream but the built-in one). */
function gatewayCommand(sandbox, clientKey) {
    const env = {
        KSPAY_BASE_URL: sandbox.url,
        KSPAY_APP_ID: sandbox.credentials.appId,
        KSPAY_ACCESS_KEY: sandbox.credentials.accessKey,
        KSPAY_SECRET_KEY: sandbox.credentials.secretKey,
        GATEWAY_API_KEYS: JSON.stringify({ [clientKey]: ['*'] }),
    };
    return `${Object.entries(env)
        .map(([name, value]) => `${name}=${shellWord(value)}`)
        .join(' ')} npm start`;
}
const { port, variable } = portFromEnv();
let sandbox;
try {
    sandbox = await startSandbox({ port, host: process.env.HOST || '127.0.0.1', publicUrl: process.env.SANDBOX_PUBLIC_URL });
}
catch (error) {
    console.error(listenErrorLine(error, variable) ?? error);
    process.exit(1);
}
const clientKey = `demo-client-${randomBytes(12).toString('hex')}`;
console.log(`KS Pay sandbox at ${sandbox.url}
  demo app id:     ${sandbox.credentials.appId}
  demo access key: ${sandbox.credentials.accessKey}
  demo secret key: ${sandbox.credentials.secretKey}
  (demo credentials of this built-in sandbox, not secrets: they work nowhere else)
  control API:     ${sandbox.url}/__sandbox/calls (faults, shapes, tokens/expire)

The gateway against this sandbox (in another terminal; clients send Authorization: Bearer ${clientKey}):

${gatewayCommand(sandbox, clientKey)}
`);
const stop = () => {
    void sandbox.close().finally(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
