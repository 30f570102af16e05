/**
 * compose.yaml's Redis setups, checked without docker: in the default setup and in the
 * `cluster` and `sentinel` profiles, the gateway's environment (.env from .env.example,
 * filled in, overridden by the service's `environment`, as compose does) is accepted by the
 * gateway's own configuration parser and names the intended topology; every host:port it
 * names is a service of that profile listening on that port; what the services depend on
 * exists in the profile; and the cluster is created from its nodes, the sentinels watch
 * the primary under the name the gateway asks for.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { redisTopologyOf } from '../../src/stores/redis-topology.js';

interface Service {
  profiles?: string[];
  command?: string[];
  entrypoint?: string[];
  environment?: Record<string, string>;
  env_file?: string;
  depends_on?: string[] | Record<string, unknown>;
}

const compose = parse(readFileSync('compose.yaml', 'utf8')) as { services: Record<string, Service> };

/** .env as the compose file's comment says to make it: .env.example, with KS Pay and the API keys filled in. */
function dotEnv(): Record<string, string> {
  const example = Object.fromEntries(
    readFileSync('.env.example', 'utf8')
      .split('\n')
      .filter((line) => /^[A-Z_]+=/.test(line))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
  return {
    ...example,
    KSPAY_BASE_URL: 'https://kspay.example',
    KSPAY_APP_ID: 'ap_Compose01',
    KSPAY_ACCESS_KEY: 'access-compose',
    KSPAY_SECRET_KEY: 'secret-compose-0123456789abcdef0123456789',
    GATEWAY_API_KEYS: JSON.stringify({ 'compose-client-key-0123456789': ['*'] }),
  };
}

/** The services `docker compose --profile <profile> up` starts: those of no profile and those of this one. */
function servicesOf(profile: string | null): Record<string, Service> {
  return Object.fromEntries(Object.entries(compose.services).filter(([, s]) => !s.profiles || (profile !== null && s.profiles.includes(profile))));
}

/** The port a Redis service listens on: `--port N`, a sentinel config's `port N`, or Redis' default. */
function listeningPort(service: Service): number {
  const text = [...(service.entrypoint ?? []), ...(service.command ?? [])].join(' ');
  const port = /--port (\d+)/.exec(text) ?? /(?:^|\\n|')port (\d+)/.exec(text);
  return port ? Number(port[1]) : 6379;
}

const seedsOf = (env: Record<string, string>, name: string) => (env[name] ?? '').split(',').filter(Boolean);

describe.each([
  { profile: null, gateway: 'gateway', kind: 'single', variable: 'REDIS_URL' },
  { profile: 'cluster', gateway: 'gateway-cluster', kind: 'cluster', variable: 'REDIS_CLUSTER_NODES' },
  { profile: 'sentinel', gateway: 'gateway-sentinel', kind: 'sentinel', variable: 'REDIS_SENTINELS' },
])('compose.yaml, profile $profile', ({ profile, gateway, kind, variable }) => {
  const services = servicesOf(profile);
  const service = services[gateway];
  const env = { ...dotEnv(), ...service?.environment };

  it(`has ${gateway}, whose environment the gateway accepts as a ${kind} topology`, () => {
    expect(service?.env_file).toBe('.env');
    const topology = redisTopologyOf(loadConfig(env).redis);
    expect(topology?.kind).toBe(kind);
  });

  it(`names in ${variable} only services of the profile, on the ports they listen on`, () => {
    const addresses = variable === 'REDIS_URL' ? [new URL(env.REDIS_URL ?? '').host] : seedsOf(env, variable);
    expect(addresses.length).toBeGreaterThan(0);
    for (const address of addresses) {
      const [host = '', port = '6379'] = address.split(':');
      expect(Object.keys(services), address).toContain(host);
      expect(listeningPort(services[host]!), address).toBe(Number(port));
    }
  });

  it('depends only on services of the profile', () => {
    for (const [name, s] of Object.entries(services)) {
      const needs = Array.isArray(s.depends_on) ? s.depends_on : Object.keys(s.depends_on ?? {});
      for (const need of needs) expect(Object.keys(services), `${name} depends on ${need}`).toContain(need);
    }
  });
});

describe('compose.yaml topologies', () => {
  it('creates the cluster from exactly the nodes the gateway is given, each cluster-enabled', () => {
    const services = servicesOf('cluster');
    const create = (services['redis-cluster-create']?.command ?? []).filter((arg) => /^[\w-]+:\d+$/.test(arg));
    expect(create.sort()).toEqual(seedsOf(services['gateway-cluster']?.environment ?? {}, 'REDIS_CLUSTER_NODES').sort());
    for (const address of create) expect(services[address.split(':')[0]!]?.command?.join(' ')).toMatch(/--cluster-enabled yes/);
  });

  it("makes the sentinels watch the primary under the gateway's REDIS_SENTINEL_NAME, with a replica of it", () => {
    const services = servicesOf('sentinel');
    const name = services['gateway-sentinel']?.environment?.REDIS_SENTINEL_NAME;
    const sentinels = seedsOf(services['gateway-sentinel']?.environment ?? {}, 'REDIS_SENTINELS').map((seed) => seed.split(':')[0]!);
    expect(sentinels.length).toBeGreaterThanOrEqual(3);
    for (const sentinel of sentinels) {
      const monitor = /sentinel monitor (\S+) (\S+) (\d+) (\d+)/.exec(services[sentinel]?.entrypoint?.join(' ') ?? '');
      expect(monitor?.[1], sentinel).toBe(name);
      const [, , primary = '', port = ''] = monitor ?? [];
      expect(listeningPort(services[primary]!), sentinel).toBe(Number(port));
    }
    const replicaOf = Object.values(services).filter((s) => /--replicaof/.test(s.command?.join(' ') ?? ''));
    expect(replicaOf.length).toBeGreaterThanOrEqual(1);
  });
});
