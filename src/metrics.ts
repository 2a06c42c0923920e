import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { CashfreeError } from './cashfree/schemas.js';

/** What `/metrics` reads at scrape time (once each), so gauges never go stale between ticks. */
export interface MetricsSources {
  budgetUsed: () => number;
  budgetLimit: number;
  counts: () => { tracked: number; due: number; pending: number };
  /** 1 while this process holds the poll lease. */
  polling: () => boolean;
}

export type Metrics = ReturnType<typeof createMetrics>;

export type CashfreeOutcome = 'ok' | 'rate_limited' | 'client_error' | 'server_error' | 'network_error';
export type SlackPostKind = 'reply' | 'parent_update';
export type SlackPostOutcome = 'ok' | 'failed' | 'gone';

/**
 * One registry per bot (not prom-client's global one), so tests that run
 * several bots in one process each read their own numbers.
 */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'kyc_bot_' });
  const registers = [registry];
  let sources: MetricsSources | undefined;
  const gauge = (name: string, help: string) => new Gauge({ name, help, registers });
  const gauges = {
    budgetUsed: gauge('kyc_budget_used', 'Cashfree status requests in the last 60 s (all processes).'),
    budgetLimit: gauge('kyc_budget_limit', 'CASHFREE_MAX_RPM: status requests allowed in any 60 s.'),
    tracked: gauge('kyc_verifications_tracked', 'Trackings in progress (one per verification and channel).'),
    due: gauge('kyc_verifications_due', 'Verifications still polled.'),
    pending: gauge('kyc_deliveries_pending', 'Status changes recorded but not yet posted in their thread.'),
    leaseHeld: gauge('kyc_poll_lease_held', '1 if this process is the one polling and delivering.'),
  };
  const metrics = {
    contentType: registry.contentType,
    commands: new Counter({
      name: 'kyc_commands_total',
      help: 'Slash commands handled, by subcommand and result.',
      labelNames: ['subcommand', 'result'] as const,
      registers,
    }),
    buttons: new Counter({
      name: 'kyc_button_clicks_total',
      help: 'Clicks on buttons, by action (refresh, stop, list_page, list_csv, history_page, history_csv, digest_csv) and result.',
      labelNames: ['action', 'result'] as const,
      registers,
    }),
    cashfreeRequests: new Counter({
      name: 'kyc_cashfree_requests_total',
      help: 'Requests to Cashfree, by operation and outcome.',
      labelNames: ['operation', 'outcome'] as const,
      registers,
    }),
    slackPosts: new Counter({
      name: 'kyc_slack_posts_total',
      help: 'Threaded replies and parent-card updates sent to Slack, by kind and outcome.',
      labelNames: ['kind', 'outcome'] as const,
      registers,
    }),
    slack429s: new Counter({
      name: 'kyc_slack_429_responses_total',
      help: 'HTTP 429 answers (rate limited, with Retry-After) from Slack to the calls the bot paces, by method; each pauses its channel or method for Retry-After.',
      labelNames: ['method'] as const,
      registers,
    }),
    slackPaced: new Counter({
      name: 'kyc_slack_paced_waits_total',
      help: "Times the bot held a Slack call back or made it wait to stay under Slack's rate limits (a channel's posting rate, a method's tier, a Retry-After pause), by method.",
      labelNames: ['method'] as const,
      registers,
    }),
    tickDuration: new Histogram({
      name: 'kyc_poll_tick_duration_seconds',
      help: 'How long one poll tick took.',
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60],
      registers,
    }),
    socketReconnections: new Counter({
      name: 'kyc_socket_reconnections_total',
      help: 'Socket Mode connections re-opened after the first.',
      registers,
    }),
    /** Where the gauges are read from at scrape time; set once the store and budget exist. */
    observe(next: MetricsSources): void {
      sources = next;
    },
    /** The `/metrics` text: each source read once, then every series. */
    async scrape(): Promise<string> {
      if (sources !== undefined) {
        const counts = sources.counts();
        gauges.budgetUsed.set(sources.budgetUsed());
        gauges.budgetLimit.set(sources.budgetLimit);
        gauges.tracked.set(counts.tracked);
        gauges.due.set(counts.due);
        gauges.pending.set(counts.pending);
        gauges.leaseHeld.set(sources.polling() ? 1 : 0);
      }
      return registry.metrics();
    },
  };
  return metrics;
}

/** Sorts a Cashfree call's result into the few outcomes an operator alerts on. */
export function cashfreeOutcome(error: unknown): CashfreeOutcome {
  if (error === undefined) return 'ok';
  if (!(error instanceof CashfreeError) || error.status === 0) return 'network_error';
  if (error.isRateLimit) return 'rate_limited';
  return error.status >= 500 ? 'server_error' : 'client_error';
}
