import { readFileSync } from 'node:fs';
import { parser } from '@prometheus-io/lezer-promql';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { createMetrics } from '../../src/metrics.js';

/**
 * The operator's kit in ops/: every alerting rule and every dashboard query is PromQL that Prometheus's
 * own grammar accepts, and names only series the bot exports (read from its real registry).
 */

const opsFile = (path: string) => readFileSync(new URL(`../../ops/${path}`, import.meta.url), 'utf8');

/** Series Prometheus makes itself for every scrape target. */
const SCRAPE_SERIES = new Set(['up']);

/** The bot's metric families (name → type), from the text exposition of a registry with every source set. */
async function exportedFamilies(): Promise<Map<string, string>> {
  const metrics = createMetrics();
  metrics.observe({
    budgetUsed: () => 0,
    budgetLimit: 1,
    counts: () => ({ tracked: 0, due: 0, pending: 0 }),
    polling: () => true,
    breakerOpen: () => false,
    socketConnected: () => true,
  });
  const families = new Map<string, string>();
  for (const [, name, type] of (await metrics.scrape()).matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    if (name !== undefined && type !== undefined) families.set(name, type);
  }
  return families;
}

/** The series names a query may select: each family's own, with _bucket, _sum and _count for histograms and summaries. */
function seriesNames(families: Map<string, string>): Set<string> {
  const names = new Set(SCRAPE_SERIES);
  for (const [name, type] of families) {
    if (type !== 'histogram') names.add(name);
    if (type === 'histogram') names.add(`${name}_bucket`);
    if (type === 'histogram' || type === 'summary') names.add(`${name}_sum`).add(`${name}_count`);
  }
  return names;
}

/** Parses PromQL with Prometheus's grammar; returns the metric names its selectors name, and any problems. */
function promql(expr: string): { metrics: string[]; problems: string[] } {
  const metrics: string[] = [];
  const problems: string[] = [];
  parser.parse(expr).iterate({
    enter: (node) => {
      if (node.type.isError) problems.push(`syntax error at ${node.from}: …${expr.slice(Math.max(0, node.from - 20), node.from + 20)}…`);
      if (node.name !== 'VectorSelector') return;
      const name = node.node.getChild('Identifier');
      if (name === null) problems.push(`a selector without a plain metric name at ${node.from}`);
      else metrics.push(expr.slice(name.from, name.to));
    },
  });
  return { metrics, problems };
}

const DURATION = /^(\d+(ms|s|m|h|d|w|y))+$/;
const ruleFile = z
  .object({
    groups: z.array(
      z
        .object({
          name: z.string().min(1),
          rules: z.array(
            z
              .object({
                alert: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/),
                expr: z.string().min(1),
                for: z.string().regex(DURATION).optional(),
                labels: z.object({ severity: z.enum(['critical', 'warning']) }).strict(),
                annotations: z.object({ summary: z.string().min(1), description: z.string().min(1) }).strict(),
              })
              .strict(),
          ),
        })
        .strict(),
    ),
  })
  .strict();

const dashboard = z.object({
  uid: z.string().min(1),
  title: z.string().min(1),
  templating: z.object({ list: z.array(z.object({ name: z.string(), type: z.string(), definition: z.string().optional() })) }),
  panels: z.array(
    z.object({
      id: z.number().int(),
      type: z.string(),
      title: z.string().min(1),
      gridPos: z.object({ h: z.number(), w: z.number(), x: z.number(), y: z.number() }),
      targets: z.array(z.object({ refId: z.string(), expr: z.string().min(1) })).optional(),
    }),
  ),
});

/** What Grafana puts in place of its interval variables before it sends a query (label values stay strings). */
function withGrafanaIntervals(expr: string): string {
  return expr.replaceAll(/\$__(rate_interval|interval|range)\b/g, '5m');
}

describe('ops/prometheus/alerts.yml', () => {
  const rules = ruleFile.parse(parseYaml(opsFile('prometheus/alerts.yml'))).groups.flatMap((group) => group.rules);

  it('is a Prometheus rule file whose every expr parses as PromQL and names only series the bot exports', async () => {
    const exported = seriesNames(await exportedFamilies());
    expect(rules.length).toBeGreaterThan(0);
    for (const rule of rules) {
      const { metrics, problems } = promql(rule.expr);
      expect(problems, rule.alert).toEqual([]);
      expect(metrics.length, rule.alert).toBeGreaterThan(0);
      expect(metrics.filter((name) => !exported.has(name)), rule.alert).toEqual([]);
    }
    expect(new Set(rules.map((rule) => rule.alert)).size).toBe(rules.length);
  });

  it('alerts on a dropped socket, an open breaker, pending deliveries, the budget, database errors and Slack 429s', () => {
    const named = new Set(rules.flatMap((rule) => promql(rule.expr).metrics));
    for (const series of [
      'kyc_socket_connected',
      'kyc_cashfree_breaker_open',
      'kyc_deliveries_pending',
      'kyc_budget_used',
      'kyc_database_errors_total',
      'kyc_slack_rate_limited_total',
    ]) {
      expect(named).toContain(series);
    }
  });
});

describe('ops/grafana/kyc-bot.json', () => {
  const board = dashboard.parse(JSON.parse(opsFile('grafana/kyc-bot.json')));
  const queries = board.panels.flatMap((panel) => (panel.targets ?? []).map((target) => ({ panel: panel.title, expr: target.expr })));

  it('queries only series the bot exports, in PromQL that parses', async () => {
    const exported = seriesNames(await exportedFamilies());
    expect(queries.length).toBeGreaterThan(0);
    for (const { panel, expr } of queries) {
      const { metrics, problems } = promql(withGrafanaIntervals(expr));
      expect(problems, `${panel}: ${expr}`).toEqual([]);
      expect(metrics.filter((name) => !exported.has(name)), `${panel}: ${expr}`).toEqual([]);
    }
    for (const variable of board.templating.list) {
      const metric = /^label_values\(([a-zA-Z_:][a-zA-Z0-9_:]*)/.exec(variable.definition ?? '')?.[1];
      if (variable.type === 'query') expect(exported, variable.name).toContain(metric);
    }
  });

  it("shows every one of the bot's own series", async () => {
    const shown = new Set(queries.flatMap(({ expr }) => promql(withGrafanaIntervals(expr)).metrics));
    const own = [...(await exportedFamilies())].filter(([name]) => name.startsWith('kyc_') && !name.startsWith('kyc_bot_'));
    const missing = own.filter(([name]) => ![name, `${name}_bucket`, `${name}_sum`, `${name}_count`].some((series) => shown.has(series)));
    expect(missing.map(([name]) => name)).toEqual([]);
  });

  it('gives every panel its own id', () => {
    expect(new Set(board.panels.map((panel) => panel.id)).size).toBe(board.panels.length);
  });
});
