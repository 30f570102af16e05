/**
 * docs/operations/ cannot drift from the metric names: the alert rules and the Grafana
 * dashboard are loaded as Prometheus and Grafana read them (JSON; a rule file in JSON is
 * YAML, which promtool and Prometheus load as is), each rule checked for the fields
 * Prometheus requires, and every series an expression reads must be one /metrics serves
 * (test/support/metric-names.ts, itself checked against a live /metrics).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { seriesNames } from '../support/metric-names.js';

const load = (path: string) => JSON.parse(readFileSync(new URL(`../../docs/operations/${path}`, import.meta.url), 'utf8'));
/** Series every Prometheus has on its own. */
const PROMETHEUS_SERIES = new Set(['up']);
const PROMQL_WORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'and', 'or', 'unless', 'offset', 'le']);

/** The series names an expression reads: what is left once strings, matchers, ranges, groupings and function names are gone. */
function seriesIn(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/\b(?:by|without|on|ignoring)\s*\([^)]*\)/g, '');
  return [...bare.matchAll(/(?<![\w$.])([a-zA-Z_:][\w:]*)(?![\w:]|\s*\()/g)].map((m) => m[1]!).filter((word) => !PROMQL_WORDS.has(word) && !/^\d/.test(word));
}

function balanced(expr: string): boolean {
  const open: string[] = [];
  const pairs: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
  for (const char of expr.replace(/"(?:[^"\\]|\\.)*"/g, '""')) {
    if ('([{'.includes(char)) open.push(char);
    else if (char in pairs && open.pop() !== pairs[char]) return false;
  }
  return open.length === 0;
}

function expectReadsKnownSeries(expr: string, where: string): void {
  expect(balanced(expr), `${where}: unbalanced brackets in ${expr}`).toBe(true);
  const series = seriesIn(expr);
  expect(series.length, `${where}: reads no series: ${expr}`).toBeGreaterThan(0);
  const known = seriesNames();
  for (const name of series) expect(known.has(name) || PROMETHEUS_SERIES.has(name), `${where}: unknown series ${name}`).toBe(true);
}

describe('docs/operations/alerts.rules.json', () => {
  const rules = load('alerts.rules.json');

  it('is a Prometheus rule file: groups of alerts with expr, labels and annotations', () => {
    expect(rules.groups.length).toBeGreaterThan(0);
    for (const group of rules.groups) {
      expect(group.name).toEqual(expect.any(String));
      for (const rule of group.rules) {
        expect(rule.alert, JSON.stringify(rule)).toMatch(/^[A-Za-z][A-Za-z0-9]*$/);
        expect(rule.labels.severity).toMatch(/^(page|ticket)$/);
        expect(rule.annotations.summary).toEqual(expect.any(String));
        if (rule.for !== undefined) expect(rule.for).toMatch(/^\d+[smh]$/);
        expect(Object.keys(rule).every((key) => ['alert', 'expr', 'for', 'labels', 'annotations'].includes(key))).toBe(true);
      }
    }
  });

  it('alerts on the breaker open, webhook backlog age, upstream error rate and a down instance', () => {
    const names = rules.groups.flatMap((g: { rules: { alert: string }[] }) => g.rules.map((r) => r.alert));
    expect(names).toEqual(expect.arrayContaining(['KsPayCircuitBreakerOpen', 'KsPayWebhookBacklogOld', 'KsPayUpstreamErrorRate', 'KsPayGatewayDown']));
  });

  it('reads only series the gateway serves', () => {
    for (const group of rules.groups) for (const rule of group.rules) expectReadsKnownSeries(rule.expr, rule.alert);
  });
});

describe('docs/operations/grafana-dashboard.json', () => {
  const dashboard = load('grafana-dashboard.json');

  it('is a Grafana dashboard whose every panel queries Prometheus', () => {
    expect(dashboard).toMatchObject({ title: expect.any(String), uid: 'kspay-gateway', schemaVersion: expect.any(Number) });
    expect(new Set(dashboard.panels.map((p: { id: number }) => p.id)).size).toBe(dashboard.panels.length);
    for (const panel of dashboard.panels) expect(panel.targets.length, panel.title).toBeGreaterThan(0);
  });

  it('reads only series the gateway serves', () => {
    for (const panel of dashboard.panels) for (const target of panel.targets) expectReadsKnownSeries(target.expr, panel.title);
    for (const variable of dashboard.templating.list.filter((v: { type: string }) => v.type === 'query')) {
      expectReadsKnownSeries(variable.query.replace(/^label_values\((\w+),.*\)$/, '$1'), variable.name);
    }
  });

  it('would catch a renamed metric', () => {
    expect(() => expectReadsKnownSeries('rate(gateway_operations_total[5m])', 'old name')).toThrow(/unknown series gateway_operations_total/);
  });
});
