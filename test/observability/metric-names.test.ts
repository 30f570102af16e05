/**
 * /metrics by Prometheus' naming conventions, checked against the list in
 * test/support/metric-names.ts: one prefix for the gateway's own series, counters in
 * `_total`, base units in the name, the breaker as a `state` label, no sentinel label values,
 * and the Node.js process series under their standard names.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../support/stack.js';
import { GATEWAY_METRICS, PROCESS_METRICS } from '../support/metric-names.js';
import { FAST, SECRET, startReceiver, type TestReceiver } from '../support/webhook-receiver.js';

let stack: Stack;
let receiver: TestReceiver;
let text: string;

beforeAll(async () => {
  receiver = await startReceiver();
  stack = await startStack({ env: { WEBHOOK_URL: receiver.url, WEBHOOK_SECRET: SECRET }, overrides: { webhooks: FAST } });
  stack.sandbox.faults.set({ down: true });
  await stack.gql('query Down { currencies { id } }'); // an exchange without an answer
  stack.sandbox.faults.reset();
  await stack.gql('query Up { currencies { id } }');
  text = await (await fetch(`${stack.url}/metrics`)).text();
});
afterAll(async () => {
  await stack?.close();
  await receiver?.stop();
});

const typesIn = (metrics: string) => Object.fromEntries([...metrics.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((m) => [m[1], m[2]]));

describe('/metrics names', () => {
  it('are exactly the listed gateway series, each with the one prefix', () => {
    const types = typesIn(text);
    const own = Object.fromEntries(Object.entries(types).filter(([name]) => !name.startsWith('process_') && !name.startsWith('nodejs_')));
    expect(own).toEqual(GATEWAY_METRICS);
    for (const name of Object.keys(own)) expect(name).toMatch(/^kspay_gateway_[a-z_]+$/);
  });

  it('follow the conventions: counters end in _total, durations and ages in _seconds', () => {
    for (const [name, type] of Object.entries(GATEWAY_METRICS)) {
      expect(name.endsWith('_total'), name).toBe(type === 'counter');
      if (/(^|_)(duration|age)(_|$)/.test(name)) expect(name, name).toMatch(/_seconds$/);
    }
  });

  it('include the default process series (CPU, memory, heap, event-loop lag) under their standard names', () => {
    const types = typesIn(text);
    for (const [name, type] of Object.entries(PROCESS_METRICS)) expect(types[name], name).toBe(type);
  });

  it('show the breaker as a state label, one state at 1', () => {
    const states = [...text.matchAll(/^kspay_gateway_upstream_circuit_breaker_state\{state="([a-z-]+)"\} (\d)$/gm)].map((m) => [m[1], m[2]]);
    expect(states.sort()).toEqual([
      ['closed', '1'],
      ['half-open', '0'],
      ['open', '0'],
    ]);
  });

  it('give no sentinel label values: an exchange without an answer has no status_code, and says why', () => {
    expect(text).not.toMatch(/status(_code)?="0"/);
    expect(text).toMatch(/^kspay_gateway_upstream_requests_total\{endpoint="[a-zA-Z]+",error_type="connection_error"\} [1-9]/m);
    expect(text).toMatch(/^kspay_gateway_upstream_requests_total\{endpoint="currencies",status_code="200"\} [1-9]/m);
  });

  it('count response-cache lookups and writes as separate series', () => {
    expect(text).toMatch(/^kspay_gateway_response_cache_lookups_total\{result="miss"\} [1-9]/m);
    expect(text).toMatch(/^kspay_gateway_response_cache_writes_total [1-9]/m);
    expect(text).not.toMatch(/result="store"/);
  });
});

describe('kspay_gateway_draining', () => {
  it('is 0 while serving and 1 once the instance drains (an alert catches a drain that never ends)', async () => {
    expect(text).toMatch(/^kspay_gateway_draining 0$/m);
    stack.app.instance.beginDrain();
    expect(await (await fetch(`${stack.url}/metrics`)).text()).toMatch(/^kspay_gateway_draining 1$/m);
  });
});
