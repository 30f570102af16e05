/**
 * Everything one block of cases runs against, each server in a process of its own
 * (bench/serve.ts) on 127.0.0.1: the gateway in the variants compared (as deployed, without
 * its response cache, without graphql-jit, with a 1 ms catalog TTL) on one sandbox, the naive
 * gateway on a sandbox of its own, seeded alike, and the floor. The load generator and
 * the bare-upstream client stay in this process.
 *
 * Why two sandboxes: when one field of a naive request fails, graphql-js answers without
 * waiting for the request's other upstream calls, which go on (with retries) for
 * seconds. On a shared sandbox those calls would be counted against whichever case runs next.
 *
 * The gateways run as in production: KS Pay at KSPAY_BASE_URL, client API keys required
 * (the load sends one), GraphiQL and introspection off, logging silent.
 */
import { connectBareUpstream, type BareUpstream } from './bare-upstream.js';
import { API_KEY, REQUEST_HEADERS, seed, type Fixture } from './cases.js';
import { startChild, startSandboxChild, type Child, type SandboxChild } from './children.js';
import { recordResponse } from './floor.js';
import type { GraphQLRequest } from './load.js';

export type GatewayVariant =
  | 'gateway'
  | 'gateway, no response cache'
  | 'gateway, no response cache, graphql-js'
  | 'gateway, graphql-js'
  | 'gateway, CATALOG_TTL_MS=1'
  | 'gateway, global fetch'
  | 'gateway, yoga handler';
/** An earlier commit's gateway, served by its own src/main.ts (`--compare`, bench/compared-gateway.ts). */
export type ComparedVariant = `gateway @ ${string}`;
export type Variant = GatewayVariant | ComparedVariant | 'naive gateway' | 'bare upstream' | 'floor';

export const comparedVariant = (shortSha: string): ComparedVariant => `gateway @ ${shortSha}`;
export const isComparedVariant = (variant: string): variant is ComparedVariant => variant.startsWith('gateway @ ');

/** What the stack needs of a compared gateway: its name and how to start it against a sandbox (gatewayEnv). */
export interface ComparedServer {
  variant: ComparedVariant;
  start(env: Record<string, string>): Promise<Child>;
}

export interface Target {
  /** Base URL; GraphQL is at /graphql (the bare upstream: the sandbox's). */
  url: string;
  /** Requests whose handling has not finished, including those whose client has gone. */
  busy(): Promise<number>;
  /** Calls its sandbox has received so far. */
  calls(): Promise<number>;
  /** Of the process that answers; null for the bare upstream, whose client runs in the load generator. */
  memory(): Promise<NodeJS.MemoryUsage | null>;
  /** The seeded data on its sandbox. */
  fixture: Fixture;
}

export interface Stack {
  targets: Partial<Record<Variant, Target>>;
  bare: BareUpstream;
  /** Added before every KS Pay answer, on every sandbox of the stack. */
  setLatency(latencyMs: number): Promise<void>;
  /** From now on the floor answers what the plain gateway answers to `request` (asked once, now). */
  recordFloor(request: GraphQLRequest): Promise<void>;
  close(): Promise<void>;
}

/** What each gateway variant adds to the production environment. */
const VARIANT_ENV: Record<GatewayVariant, Record<string, string>> = {
  gateway: {},
  // What the response cache and compiled execution are worth: the gateway without them (bench/serve.ts).
  'gateway, no response cache': { BENCH_WITHOUT: 'response-cache' },
  'gateway, no response cache, graphql-js': { BENCH_WITHOUT: 'response-cache,compiled-execution' },
  'gateway, graphql-js': { BENCH_WITHOUT: 'compiled-execution' },
  'gateway, CATALOG_TTL_MS=1': { CATALOG_TTL_MS: '1' },
  // KS Pay called through global fetch, as before issue 22: what the node:http transport is worth.
  'gateway, global fetch': { BENCH_WITHOUT: 'node-http' },
  // Every POST through yoga's own HTTP handler: what the front door's execute stage (src/http/posted-operation.ts) is worth.
  'gateway, yoga handler': { BENCH_WITHOUT: 'posted-operation' },
};

/** The gateway's environment against `sandbox`, as a production deployment would set it. */
export function gatewayEnv(sandbox: SandboxChild, extra: Record<string, string> = {}): Record<string, string> {
  return {
    KSPAY_BASE_URL: sandbox.url,
    KSPAY_APP_ID: sandbox.credentials.appId,
    KSPAY_ACCESS_KEY: sandbox.credentials.accessKey,
    KSPAY_SECRET_KEY: sandbox.credentials.secretKey,
    GATEWAY_API_KEYS: JSON.stringify({ [API_KEY]: ['*'] }),
    LOG_LEVEL: 'silent',
    ...extra,
  };
}

const isGatewayVariant = (variant: Variant): variant is GatewayVariant => Object.hasOwn(VARIANT_ENV, variant);

/**
 * Starts the processes `variants` need (the plain gateway always: it seeds and is the
 * floor's model) and seeds each sandbox with `transactions` initiated through its gateway.
 * A compared gateway shares the plain gateway's sandbox and seeded data.
 */
export async function startStack(transactions: number, variants: readonly Variant[], compared: readonly ComparedServer[] = []): Promise<Stack> {
  const children: Child[] = [];
  const started = <T extends Child>(child: Promise<T>) => child.then((c) => (children.push(c), c));
  try {
    const wantsNaive = variants.includes('naive gateway');
    const [sandbox, naiveSandbox] = await Promise.all([started(startSandboxChild()), wantsNaive ? started(startSandboxChild()) : null]);
    const gatewayVariants = ['gateway' as const, ...variants.filter(isGatewayVariant).filter((v) => v !== 'gateway')];
    const wantedCompared = compared.filter((c) => variants.includes(c.variant));
    const [gateways, naive, floor, comparedChildren] = await Promise.all([
      Promise.all(gatewayVariants.map((v) => started(startChild('gateway', gatewayEnv(sandbox, VARIANT_ENV[v]))))),
      naiveSandbox ? started(startChild('naive', gatewayEnv(naiveSandbox))) : null,
      started(startChild('floor')),
      Promise.all(wantedCompared.map((c) => started(c.start(gatewayEnv(sandbox))))),
    ]);
    const gateway = gateways[0];
    // Only the gateway's sandbox gets a settled transaction: the naive gateway cannot process a payment.
    const [fixture, naiveFixture] = await Promise.all([seed(gateway!.url, transactions, { settle: true }), naive ? seed(naive.url, transactions) : null]);

    const served = (child: Child, on: SandboxChild, seeded: Fixture): Target => ({
      url: child.url,
      busy: () => child.busy(),
      calls: () => on.calls(),
      memory: () => child.memory(),
      fixture: seeded,
    });
    const targets: Partial<Record<Variant, Target>> = {};
    gatewayVariants.forEach((variant, i) => (targets[variant] = served(gateways[i]!, sandbox, fixture)));
    if (naive && naiveSandbox && naiveFixture) targets['naive gateway'] = served(naive, naiveSandbox, naiveFixture);
    wantedCompared.forEach((c, i) => (targets[c.variant] = served(comparedChildren[i]!, sandbox, fixture)));
    // The bare loop awaits its own operations: nothing is left running when it returns.
    targets['bare upstream'] = { url: sandbox.url, busy: async () => 0, calls: () => sandbox.calls(), memory: async () => null, fixture };
    targets.floor = { ...served(floor, sandbox, fixture), calls: async () => 0 };

    return {
      targets,
      bare: await connectBareUpstream({ url: sandbox.url, credentials: sandbox.credentials }),
      async setLatency(latencyMs) {
        await Promise.all([sandbox.setLatency(latencyMs), naiveSandbox?.setLatency(latencyMs)]);
      },
      async recordFloor(request) {
        const body = typeof request.body === 'string' ? request.body : request.body();
        const response = await recordResponse(`${gateway!.url}/graphql`, REQUEST_HEADERS, body);
        if (response.status !== 200 || !request.ok(Buffer.from(response.bodyBase64, 'base64').toString())) {
          throw new Error(`the gateway's answer for the floor is not the expected one (HTTP ${response.status})`);
        }
        await floor.control({ type: 'respond', response });
      },
      close: () => closeAll(children),
    };
  } catch (error) {
    await closeAll(children);
    throw error;
  }
}

async function closeAll(children: Child[]): Promise<void> {
  await Promise.all(children.map((child) => child.close()));
}
