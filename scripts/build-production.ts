/**
 * `npm run build:production -- <dir>`: every step of the Dockerfile, so CI runs them outside
 * a container and the recipe cannot rot. It compiles src/ to dist/, assembles a fresh <dir>
 * with only what runs in production (dist/, the example documents GraphiQL and the
 * payment-return page read, package.json and the lockfile), installs the production
 * dependencies there (`npm ci --omit=dev`: no TypeScript, no tsx), then starts
 * `node dist/main.js` as the image does (its ENV, its CMD's node flags) from <dir> in production mode against the sandbox run as a separate
 * process, checks /readyz, reads the catalog and initiates a payment, and stops both.
 * Any failure exits 1 with the step that failed.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { productionRuntime } from './production-runtime.js';

const ROOT = resolve(import.meta.dirname, '..');
/** What `node dist/main.js` reads at run time besides dist/ and node_modules/. */
const RUNTIME_FILES = ['package.json', 'package-lock.json', 'LICENSE', 'examples/gql/persisted-documents.json'];
const DEV_ONLY = ['typescript', 'tsx', 'vitest', 'node'];

function fail(step: string, detail: string): never {
  console.error(`build-production: ${step} failed: ${detail}`);
  process.exit(1);
}

function run(step: string, command: string, args: string[], cwd: string): void {
  console.log(`build-production: ${step}`);
  const result = spawnSync(command, args, { cwd, stdio: 'inherit' });
  if (result.status !== 0) fail(step, `${command} ${args.join(' ')} exited ${result.status ?? result.signal}`);
}

function assemble(target: string): void {
  rmSync(join(ROOT, 'dist'), { recursive: true, force: true });
  run('compile src/ to dist/', 'npm', ['run', 'build'], ROOT);
  rmSync(target, { recursive: true, force: true });
  mkdirSync(join(target, 'examples/gql'), { recursive: true });
  cpSync(join(ROOT, 'dist'), join(target, 'dist'), { recursive: true });
  for (const file of RUNTIME_FILES) cpSync(join(ROOT, file), join(target, file));
  for (const file of readdirSync(join(ROOT, 'examples')).filter((name) => name.endsWith('.graphql'))) {
    cpSync(join(ROOT, 'examples', file), join(target, 'examples', file));
  }
  // No production dependency has an install script (checked in the lockfile), so none may run.
  run('install production dependencies only', 'npm', ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'], target);
  const present = DEV_ONLY.filter((name) => existsSync(join(target, 'node_modules', name)));
  if (present.length) fail('prune', `${present.join(', ')} installed in ${target}`);
}

interface Started {
  child: ChildProcess;
  output: () => string;
}

/** `node [flags] <entry>` from `cwd` with only `env` (and PATH): no loader, no TypeScript. */
function startNode(entry: string, cwd: string, env: Record<string, string>, flags: string[] = []): Started {
  const child = spawn(process.execPath, [...flags, entry], { cwd, env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk));
  return { child, output: () => output };
}

async function waitFor(started: Started, pattern: RegExp, what: string): Promise<RegExpMatchArray> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const match = started.output().match(pattern);
    if (match) return match;
    if (started.child.exitCode !== null) fail(what, `exited ${started.child.exitCode}: ${started.output()}`);
    if (Date.now() > deadline) fail(what, `no ${pattern} within 60 s: ${started.output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function stop(started: Started): Promise<void> {
  if (started.child.exitCode !== null) return;
  const exited = new Promise((r) => started.child.once('exit', r));
  started.child.kill('SIGTERM');
  await exited;
}

async function graphql(url: string, key: string, query: string, variables?: unknown): Promise<any> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: unknown; errors?: unknown };
  if (response.status !== 200 || body.errors) fail('query the gateway', `HTTP ${response.status}: ${JSON.stringify(body)}`);
  return body.data;
}

async function smoke(target: string): Promise<void> {
  console.log('build-production: start the sandbox, then node dist/main.js in production mode against it');
  const sandbox = startNode('dist/sandbox/main.js', target, { SANDBOX_PORT: '0' });
  const started: Started[] = [sandbox];
  try {
    const [, sandboxUrl] = await waitFor(sandbox, /KS Pay sandbox at (\S+)/, 'start the sandbox');
    const credential = async (label: string) => (await waitFor(sandbox, new RegExp(`demo ${label}:\\s+(\\S+)`), 'read the sandbox credentials'))[1]!;
    const key = randomBytes(24).toString('hex');
    // As the image starts it: its ENV (memory settings included) and its CMD's node flags.
    const runtime = productionRuntime();
    const gateway = startNode(
      'dist/main.js',
      target,
      {
        ...runtime.env,
        NODE_ENV: 'production',
        HOST: '127.0.0.1',
        PORT: '0',
        KSPAY_BASE_URL: sandboxUrl!,
        KSPAY_APP_ID: await credential('app id'),
        KSPAY_ACCESS_KEY: await credential('access key'),
        KSPAY_SECRET_KEY: await credential('secret key'),
        GATEWAY_API_KEYS: JSON.stringify({ [key]: ['*'] }),
      },
      runtime.nodeFlags,
    );
    started.push(gateway);
    const [, url] = await waitFor(gateway, /"url":"(http:\/\/[^"]+)\/graphql"/, 'start the gateway');

    const ready = await fetch(`${url}/readyz`);
    if (ready.status !== 200) fail('GET /readyz', `HTTP ${ready.status}: ${await ready.text()}`);
    const { currencies } = await graphql(url!, key, '{ currencies { id code paymentMethods { id } } }');
    const inr = currencies.find((c: { code: string }) => c.code === 'INR');
    if (!inr) fail('read the catalog', JSON.stringify(currencies));
    const { initiateTransaction } = await graphql(
      url!,
      key,
      'mutation($input: InitiateTransactionInput!) { initiateTransaction(input: $input) { __typename ... on InitiateTransactionSuccess { transaction { status } } } }',
      {
        input: {
          currencyId: inr.id,
          paymentMethodId: inr.paymentMethods[0].id,
          amount: '10.00',
          referenceNumber: `smoke-${Date.now()}`,
          redirectUrl: 'https://shop.example/return',
        },
      },
    );
    if (initiateTransaction.__typename !== 'InitiateTransactionSuccess') fail('initiate a payment', JSON.stringify(initiateTransaction));
    console.log(
      `build-production: ok: ${target} serves /readyz, the catalog (${currencies.length} currencies) and an initiate on Node ${process.versions.node}`,
    );
  } finally {
    await Promise.all(started.map(stop));
  }
}

const target = process.argv[2];
if (!target) fail('arguments', 'usage: npm run build:production -- <empty or new directory>');
assemble(resolve(target));
await smoke(resolve(target));
