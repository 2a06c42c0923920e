import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import { WebClient } from '@slack/web-api';
import { createCashfreeClient, type CashfreeClient } from './cashfree/client.js';
import { observeCashfree } from './cashfree/observed.js';
import { registerListeners, type InFlight } from './listeners/index.js';
import type { CommandDeps } from './listeners/context.js';
import type { Config } from './config.js';
import { closeServer, healthRoute, metricsRoute, serveRoutes } from './http/routes.js';
import { createRequestBudget, type RequestBudget } from './tracking/budget.js';
import { runBulkStarts } from './tracking/bulk-run.js';
import { createSlackPacer, type SlackPacer, type SlackPaceRules } from './tracking/pacing.js';
import { postDigests } from './jobs/digest.js';
import { postWeeklyReports } from './jobs/report.js';
import { startPollLease } from './jobs/lease.js';
import { createPollTicker } from './jobs/tick.js';
import { createPlanner, describePlan } from './jobs/planner.js';
import { DEFAULT_POLL_POLICY } from './vkyc/schedule.js';
import type { PollerDeps, TickStats } from './jobs/poller.js';
import { purgeOldData } from './jobs/retention.js';
import { scheduleJob, tickMaxMsFor, type Job } from './jobs/scheduler.js';
import type { Logger } from './log.js';
import { cashfreeOutcome, createMetrics, type Metrics, type SlackPostKind, type SlackPostOutcome } from './metrics.js';
import { renderQr } from './qr.js';
import { boltLogger, createSlackApp, slackClientOptions } from './app/slack-app.js';
import { slackFailure } from './slack/failures.js';
import { isSocketHealthy, SOCKET_DOWN_LIMIT_MS, watchSocket } from './app/socket-health.js';
import { openStore, type Store } from './store/store.js';
import { startWebhookDrain } from './webhooks/drain.js';
import { processWebhookEvents } from './webhooks/process.js';
import { webhookRoute } from './webhooks/route.js';

/** A start-up failure the operator can act on; its message is the one line they see. */
export class StartupError extends Error {
  override name = 'StartupError';
}

export interface Bot {
  /** The HTTP port `/slack/events` (HTTP mode), `/healthz` and `/metrics` are served on. */
  port: number;
  /** Runs one poll tick now (the scheduler runs them on `POLL_SCHEDULE`); undefined when another process holds the poll lease. */
  tick(): Promise<TickStats | undefined>;
  /** Posts the daily digest now (the scheduler runs it on `KYC_DIGEST_SCHEDULE`); undefined when another process holds the poll lease. */
  digest(): Promise<number | undefined>;
  /** Posts last week's turnaround reports not posted yet (the scheduler runs it on `KYC_REPORT_SCHEDULE`); undefined when another process holds the poll lease. */
  report(): Promise<number | undefined>;
  stop(graceMs?: number): Promise<void>;
}

export interface BotOptions {
  logger: Logger;
  now?: () => number;
  /** Longest a tick keeps taking new work. */
  tickMaxMs?: number;
  /** Skip the cron jobs (tests that drive ticks by hand). */
  schedule?: boolean;
  /** How long the Socket Mode connection may be down before `/healthz` answers 503. */
  socketDownLimitMs?: number;
  /** The pace kept under Slack's rate limits (default SLACK_PACE), for tests whose simulator limits at another rate. */
  slackPace?: Partial<SlackPaceRules>;
}

const RETENTION_SCHEDULE = '17 3 * * *';
/** The poll lease: renewed every LEASE_RENEW_MS, lost LEASE_TTL_MS after the holder's last renewal. */
const LEASE_TTL_MS = 6_000;
const LEASE_RENEW_MS = 2_000;
/** How often stuck waits and expiring links are looked for. */
const ALERT_CHECK_MS = 30_000;
/** How often the poll-lease holder looks for stored webhook events not processed yet. */
const PUSH_DRAIN_MS = 1_000;
/** How often the poll-lease holder looks for bulk starts to run. */
const BULK_RUN_MS = 1_000;
/** Socket Mode start-up that neither connects nor fails within this long is a failure. */
const SOCKET_START_TIMEOUT_MS = 30_000;

type Release = () => unknown;

export async function startBot(config: Config, options: BotOptions): Promise<Bot> {
  const opened: Release[] = [];
  try {
    return await assembleBot(config, options, opened);
  } catch (error) {
    // Whatever was opened before the failure is closed, newest first, so the process can exit.
    for (const release of opened.reverse()) await Promise.resolve().then(release).catch(() => undefined);
    throw error;
  }
}

async function assembleBot(config: Config, options: BotOptions, opened: Release[]): Promise<Bot> {
  const { logger } = options;
  const now = options.now ?? Date.now;
  const mode = config.slack.appToken === undefined ? 'http' : 'socket';
  const store = openStore(config.databasePath);
  opened.push(() => store.close());
  const boltLog = boltLogger(logger);
  const identity = await new WebClient(config.slack.botToken, slackClientOptions(config, boltLog)).auth.test().catch((error: unknown) => {
    throw new StartupError(`Slack rejected the bot token at start-up (${slackFailure(error).code}); check SLACK_BOT_TOKEN and SLACK_API_URL`);
  });

  const metrics = createMetrics();
  const cashfree = observeCashfree(createCashfreeClient({ ...config.cashfree, now }), (operation, error) =>
    metrics.cashfreeRequests.inc({ operation, outcome: cashfreeOutcome(error) }),
  );
  opened.push(() => cashfree.close());
  // Production leaves every timing at its default; tests shorten them (config.ts, KYC_TEST_TIMINGS).
  const timings = config.testTimings;
  const budget = createRequestBudget({ db: store.db, max: config.cashfree.maxRequestsPerMinute, windowMs: timings.budgetWindowMs, now });
  const slackPacer = createSlackPacer({
    ...(options.slackPace === undefined ? {} : { rules: options.slackPace }),
    onRateLimited: (method) => metrics.slack429s.inc({ method }),
    onPaced: (method) => metrics.slackPaced.inc({ method }),
  });
  const lease = startPollLease({
    db: store.db,
    name: 'poller',
    holder: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
    ttlMs: timings.leaseTtlMs ?? LEASE_TTL_MS,
    renewEveryMs: timings.leaseRenewMs ?? LEASE_RENEW_MS,
    now,
    logger,
    onTakeover: () => store.releaseAllClaims(),
    onError: (error) => metrics.databaseError('lease', error),
  });
  opened.push(() => lease.stop());
  const deps: CommandDeps = { config, store, cashfree, budget, slackPacer, logger, now, renderQr, metrics, terminalStatuses: config.kyc.terminalStatuses };
  const poller = pollerDepsFor(config, { store, cashfree, budget, slackPacer, logger, now, metrics, ...(options.tickMaxMs === undefined ? {} : { tickMaxMs: options.tickMaxMs }), boltLog });
  metrics.watchSlackClient(poller.slack);
  const ticker = createPollTicker({ poller, lease, store, logger, metrics, now, stuckAfterMs: config.alerts.stuckAfterMs, alertEveryMs: ALERT_CHECK_MS, timeZone: config.alerts.timeZone, sla: config.sla });
  const drain = startWebhookDrain(
    async () => void (await metrics.countDatabaseErrors('webhooks', () => processWebhookEvents(poller))),
    { enabled: () => lease.holds(), everyMs: PUSH_DRAIN_MS, logger },
  );
  opened.push(() => drain.stop());
  // Confirmed bulk starts, run where polling runs (one process at a time), picked up within a second of a confirm or a restart.
  const bulk = startWebhookDrain(
    async () =>
      void (await metrics.countDatabaseErrors('bulk', () =>
        runBulkStarts({ ...poller, config, budgetWindowMs: timings.budgetWindowMs ?? 60_000, terminalStatuses: config.kyc.terminalStatuses }),
      )),
    { enabled: () => lease.holds(), everyMs: BULK_RUN_MS, logger, what: 'bulk start' },
  );
  opened.push(() => bulk.stop());
  const inFlight: InFlight = new Set();

  let ready = false;
  const socketDownLimitMs = options.socketDownLimitMs ?? SOCKET_DOWN_LIMIT_MS;
  let socketHealth: ReturnType<typeof watchSocket> | undefined;
  const health = () => {
    const socket = socketHealth === undefined ? {} : { socket: socketHealth.status, socket_down_ms: socketHealth.downSince === undefined ? 0 : now() - socketHealth.downSince };
    const healthy = ready && (socketHealth === undefined || isSocketHealthy(socketHealth, now(), socketDownLimitMs));
    return { healthy, ready, mode, ...socket, polling: lease.holds(), ...store.counts(), last_tick: ticker.last(), database: ticker.database(), scheduler: describePlan(store) };
  };
  const routes = [
    healthRoute(health),
    metricsRoute(metrics),
    webhookRoute({ clientSecret: config.cashfree.clientSecret, store, logger, now, onStored: () => drain.kick() }),
  ];
  const { app, socket } = createSlackApp({ config, logger, botId: identity.bot_id ?? '', botUserId: identity.user_id ?? '', routes, pingTimeoutMs: timings.socketPingTimeoutMs });
  if (socket !== undefined) socketHealth = watchSocket(socket, now, () => metrics.socketReconnections.inc());
  metrics.observe({
    budgetUsed: () => budget.used(),
    budgetLimit: config.cashfree.maxRequestsPerMinute,
    counts: () => store.counts(),
    polling: () => lease.holds(),
    breakerOpen: () => lease.holds() && ticker.last()?.breaker === 'open',
    socketConnected: socket === undefined ? undefined : () => socketHealth?.status === 'connected',
  });
  app.use(async ({ client, next }) => {
    metrics.watchSlackClient(client);
    await next();
  });
  registerListeners(app, deps, inFlight);
  app.error(async (error) => logger.error('slack request failed', { error }));

  const port = await listen(config, app, socket === undefined ? undefined : routes, opened);
  if (socket !== undefined) await openSocket(app, opened);

  /** Only the lease holder posts digests, so two processes never post two. */
  const digest = async (): Promise<number | undefined> =>
    lease.holds() ? metrics.countDatabaseErrors('digest', () => postDigests({ ...poller, stuckAfterMs: config.alerts.stuckAfterMs })) : undefined;
  const report = async (): Promise<number | undefined> =>
    lease.holds() ? metrics.countDatabaseErrors('report', () => postWeeklyReports({ ...poller, timeZone: config.alerts.timeZone })) : undefined;
  const jobs: Job[] =
    options.schedule === false
      ? []
      : [
          scheduleJob('poll', config.poll.schedule, async (signal) => void (await ticker.tick(signal)), logger),
          scheduleJob('digest', config.alerts.digestSchedule, async () => void (await digest()), logger, config.alerts.timeZone),
          scheduleJob('report', config.reports.schedule, async () => void (await report()), logger, config.alerts.timeZone),
          scheduleJob('retention', RETENTION_SCHEDULE, async () => void (await metrics.countDatabaseErrors('retention', () => purgeOldData(store, logger, config.retentionDays, now()))), logger),
        ];
  ready = true;
  logger.info('bot ready', { mode, port, bot_user: identity.user_id, polling: lease.holds() });

  return {
    port,
    tick: () => ticker.tick(),
    digest,
    report,
    async stop(graceMs = 10_000) {
      ready = false;
      const deadline = Date.now() + graceMs;
      await Promise.all(jobs.map((job) => job.stop(graceMs)));
      await Promise.race([Promise.allSettled([...inFlight]), delay(Math.max(0, deadline - Date.now()))]);
      for (const release of opened.reverse()) await Promise.resolve().then(release).catch(() => undefined);
    },
  };
}

/**
 * The poller as production wires it, for the bot, the bench and tests alike. Its Slack client does
 * not retry: a post whose answer was lost is in doubt, and only the delivery loop (which searches
 * the thread before posting again) may decide to send it again.
 */
export function pollerDepsFor(
  config: Config,
  parts: {
    store: Store;
    cashfree: CashfreeClient;
    budget: RequestBudget;
    /** Shared with the listeners, so that every post to a channel keeps to one pace; a pacer of its own when omitted. */
    slackPacer?: SlackPacer;
    logger: Logger;
    now: () => number;
    metrics?: Pick<Metrics, 'slackPosts'>;
    tickMaxMs?: number;
    boltLog?: ReturnType<typeof boltLogger>;
  },
): PollerDeps {
  const { store, metrics } = parts;
  return {
    store,
    slack: new WebClient(config.slack.botToken, { ...slackClientOptions(config, parts.boltLog ?? boltLogger(parts.logger)), retryConfig: { retries: 0 } }),
    slackPacer: parts.slackPacer ?? createSlackPacer(),
    logger: parts.logger,
    now: parts.now,
    cashfree: parts.cashfree,
    budget: parts.budget,
    concurrency: config.poll.concurrency,
    terminalStatuses: config.kyc.terminalStatuses,
    backoff: { baseMs: config.poll.backoffBaseMs, maxMs: 15 * 60_000 },
    tickMaxMs: parts.tickMaxMs ?? tickMaxMsFor(config.poll.schedule),
    // A claim older than a status request can take (and a tick) belongs to a tick that failed or died.
    claimStaleMs: config.cashfree.timeoutMs + 5_000,
    planner: createPlanner({
      store,
      requestsPerMinute: config.cashfree.maxRequestsPerMinute,
      policy: { ...DEFAULT_POLL_POLICY, thresholdFloor: config.poll.minChance },
    }),
    ...(metrics === undefined ? {} : { onSlackPost: (kind: SlackPostKind, outcome: SlackPostOutcome) => metrics.slackPosts.inc({ kind, outcome }) }),
  };
}

type BoltApp = ReturnType<typeof createSlackApp>['app'];

/** HTTP mode: Bolt serves `/slack/events` and our routes. Socket Mode: we serve our routes ourselves. */
async function listen(config: Config, app: BoltApp, ownRoutes: Parameters<typeof serveRoutes>[1] | undefined, opened: Release[]): Promise<number> {
  let server: Server;
  try {
    server = ownRoutes === undefined ? ((await app.start(config.slack.port)) as Server) : await serveRoutes(config.slack.port, ownRoutes);
  } catch (error) {
    throw new StartupError(`could not listen on PORT ${config.slack.port}: ${(error as Error).message}`);
  }
  opened.push(ownRoutes === undefined ? () => app.stop() : () => closeServer(server));
  return (server.address() as AddressInfo | null)?.port ?? config.slack.port;
}

/** Opens the Socket Mode connection (resolves on Slack's `hello`), or fails with a line naming SLACK_APP_TOKEN. */
async function openSocket(app: BoltApp, opened: Release[]): Promise<void> {
  opened.push(() => app.stop());
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error('timeout')), SOCKET_START_TIMEOUT_MS);
  });
  try {
    await Promise.race([app.start(), timeout]);
  } catch (error) {
    const reason = (error as Error).message === 'timeout' ? `no connection within ${SOCKET_START_TIMEOUT_MS / 1000} s` : slackFailure(error).code;
    throw new StartupError(
      `could not open the Socket Mode connection (${reason}); check SLACK_APP_TOKEN (an app-level token, xapp-…, with the connections:write scope) and SLACK_API_URL`,
    );
  } finally {
    clearTimeout(timer);
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
