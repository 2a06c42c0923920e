import { WebClientEvent, type WebClient } from '@slack/web-api';
import Database from 'better-sqlite3';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { CashfreeError } from './cashfree/schemas.js';

/** What `/metrics` reads at scrape time (once each), so gauges never go stale between ticks. */
export interface MetricsSources {
  budgetUsed: () => number;
  budgetLimit: number;
  counts: () => { tracked: number; due: number; pending: number };
  /** 1 while this process holds the poll lease. */
  polling: () => boolean;
  /** Whether this process's Cashfree circuit breaker is open (only the lease holder's ever is). */
  breakerOpen: () => boolean;
  /** Socket Mode only: whether the connection to Slack is open. Without it, `kyc_socket_connected` is not exported. */
  socketConnected?: () => boolean;
}

export type Metrics = ReturnType<typeof createMetrics>;

export type CashfreeOutcome = 'ok' | 'rate_limited' | 'client_error' | 'server_error' | 'network_error';
export type SlackPostKind = 'reply' | 'parent_update' | 'owner_dm';
export type SlackPostOutcome = 'ok' | 'failed' | 'gone';
/**
 * Where a SQLite error stopped work: a poll tick, the lease renewal, webhook processing, a scheduled job, a command.
 * Its label is `task`: Prometheus gives every scraped series a `job` label of its own.
 */
export type DatabaseTask = 'poll' | 'lease' | 'webhooks' | 'digest' | 'report' | 'retention' | 'command' | 'bulk';

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
    breakerOpen: gauge('kyc_cashfree_breaker_open', '1 while the circuit breaker is open: Cashfree fails for everyone, so polling is down to one probe a tick.'),
  };
  // Registered only in Socket Mode (see observe): in HTTP mode there is no connection to report.
  const socketConnected = new Gauge({ name: 'kyc_socket_connected', help: '1 while the Socket Mode connection to Slack is open.', registers: [] });
  const slackRateLimited = new Counter({
    name: 'kyc_slack_rate_limited_total',
    help: 'Slack Web API calls answered 429 (rate limited), by API method.',
    labelNames: ['method'] as const,
    registers,
  });
  const databaseErrors = new Counter({
    name: 'kyc_database_errors_total',
    help: 'SQLite errors that stopped a task (poll, lease, webhooks, digest, retention, command), by task and SQLite error code.',
    labelNames: ['task', 'code'] as const,
    registers,
  });
  const watchedClients = new WeakSet<WebClient>();
  const countDatabaseError = (task: DatabaseTask, error: unknown) => {
    if (error instanceof Database.SqliteError) databaseErrors.inc({ task, code: error.code });
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
      help: 'Clicks on buttons, by action (refresh, stop, list_page, list_csv, history_page, history_csv, digest_csv, dm_settings) and result.',
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
      help: 'Threaded replies, parent-card updates and owners\' direct messages sent to Slack, by kind and outcome.',
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
    slaBreaches: new Counter({
      name: 'kyc_sla_breaches_total',
      help: 'Stages over their service level (KYC_SLA), by stage and step: dm when the owner\'s DM is recorded, escalated when the channel\'s escalation target is mentioned.',
      labelNames: ['stage', 'step'] as const,
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
    /**
     * Counts the 429s a Slack Web API client receives. The client tells of each one before it throws or
     * waits, so this sees them wherever the call was made and whatever its caller does next.
     */
    watchSlackClient(client: WebClient): void {
      if (watchedClients.has(client)) return;
      watchedClients.add(client);
      client.on(WebClientEvent.RATE_LIMITED, (_retryAfterSeconds: number, request: { url: string }) =>
        slackRateLimited.inc({ method: slackMethod(request.url) }),
      );
    },
    /** Counts `error` if it is SQLite's (a locked, full, read-only or corrupt database); other errors are not counted. */
    databaseError: countDatabaseError,
    /** Runs `work`; a SQLite error it throws is counted on its way out. */
    async countDatabaseErrors<T>(task: DatabaseTask, work: () => T | Promise<T>): Promise<T> {
      try {
        return await work();
      } catch (error) {
        countDatabaseError(task, error);
        throw error;
      }
    },
    /** Where the gauges are read from at scrape time; set once the store and budget exist. */
    observe(next: MetricsSources): void {
      if (next.socketConnected !== undefined && registry.getSingleMetric('kyc_socket_connected') === undefined) registry.registerMetric(socketConnected);
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
        gauges.breakerOpen.set(sources.breakerOpen() ? 1 : 0);
        if (sources.socketConnected !== undefined) socketConnected.set(sources.socketConnected() ? 1 : 0);
      }
      return registry.metrics();
    },
  };
  return metrics;
}

/** The Web API method a request URL names (`…/api/chat.postMessage` → `chat.postMessage`). */
function slackMethod(url: string): string {
  try {
    return new URL(url).pathname.split('/').pop() || 'unknown';
  } catch {
    return 'unknown';
  }
}

/** Sorts a Cashfree call's result into the few outcomes an operator alerts on. */
export function cashfreeOutcome(error: unknown): CashfreeOutcome {
  if (error === undefined) return 'ok';
  if (!(error instanceof CashfreeError) || error.status === 0) return 'network_error';
  if (error.isRateLimit) return 'rate_limited';
  return error.status >= 500 ? 'server_error' : 'client_error';
}
