import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import { WebClient } from '@slack/web-api';
import { createCashfreeClient } from './cashfree/client.js';
import { observeCashfree } from './cashfree/observed.js';
import { registerCommands, type InFlight } from './commands/index.js';
import type { CommandDeps } from './commands/context.js';
import type { Config } from './config.js';
import { closeServer, healthRoute, metricsRoute, serveRoutes } from './http/routes.js';
import { registerHome } from './home/index.js';
import { registerInteractions } from './interactions/index.js';
import { postAlerts } from './jobs/alerts.js';
import { createRequestBudget } from './jobs/budget.js';
import { postDigests } from './jobs/digest.js';
import { createLease } from './jobs/lease.js';
import { runTick, type PollerDeps, type TickStats } from './jobs/poller.js';
import { purgeOldData } from './jobs/retention.js';
import { scheduleJob, tickMaxMsFor, type Job } from './jobs/scheduler.js';
import type { Logger } from './log.js';
import { cashfreeOutcome, createMetrics } from './metrics.js';
import { renderQr } from './qr.js';
import { boltLogger, createSlackApp, slackClientOptions } from './slack/app.js';
import { slackFailure } from './slack/failures.js';
import { isSocketHealthy, SOCKET_DOWN_LIMIT_MS, watchSocket } from './slack/socket-health.js';
import { openStore } from './store/store.js';
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
}

const RETENTION_SCHEDULE = '17 3 * * *';
/** The poll lease: renewed every LEASE_RENEW_MS, lost LEASE_TTL_MS after the holder's last renewal. */
const LEASE_TTL_MS = 6_000;
const LEASE_RENEW_MS = 2_000;
/** How often stuck waits and expiring links are looked for. */
const ALERT_CHECK_MS = 30_000;
/** How often the poll-lease holder looks for stored webhook events not processed yet. */
const PUSH_DRAIN_MS = 1_000;
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
  const lease = createLease({ db: store.db, name: 'poller', holder: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`, ttlMs: timings.leaseTtlMs ?? LEASE_TTL_MS, now });
  metrics.observe({ budgetUsed: () => budget.used(), budgetLimit: config.cashfree.maxRequestsPerMinute, counts: () => store.counts(), polling: () => lease.holds() });
  const deps: CommandDeps = { config, store, cashfree, budget, logger, now, renderQr, metrics };
  const inFlight: InFlight = new Set();
  let ready = false;
  let lastTick: (TickStats & { at: string }) | undefined;

  const socketDownLimitMs = options.socketDownLimitMs ?? SOCKET_DOWN_LIMIT_MS;
  let socketHealth: ReturnType<typeof watchSocket> | undefined;
  const health = () => {
    const socket = socketHealth === undefined ? {} : { socket: socketHealth.status, socket_down_ms: socketHealth.downSince === undefined ? 0 : now() - socketHealth.downSince };
    const healthy = ready && (socketHealth === undefined || isSocketHealthy(socketHealth, now(), socketDownLimitMs));
    return { healthy, ready, mode, ...socket, polling: lease.holds(), ...store.counts(), last_tick: lastTick };
  };
  // Filled in below, once the poller's deps exist; a webhook stored before then waits for the first drain.
  let processPush = () => undefined as void;
  const routes = [
    healthRoute(health),
    metricsRoute(metrics),
    webhookRoute({ clientSecret: config.cashfree.clientSecret, store, logger, now, onStored: () => processPush() }),
  ];
  const { app, socket } = createSlackApp({ config, logger, botId: identity.bot_id ?? '', botUserId: identity.user_id ?? '', routes, pingTimeoutMs: timings.socketPingTimeoutMs });
  if (socket !== undefined) socketHealth = watchSocket(socket, now, () => metrics.socketReconnections.inc());
  registerCommands(app, deps, inFlight);
  registerInteractions(app, deps, inFlight);
  registerHome(app, deps);
  app.error(async (error) => logger.error('slack request failed', { error }));

  const pollerDeps: PollerDeps = {
    store,
    // No retries inside the client: a post whose answer was lost is in doubt, and only the delivery
    // loop (which searches the thread before posting again) may decide to send it again.
    slack: new WebClient(config.slack.botToken, { ...slackClientOptions(config, boltLog), retryConfig: { retries: 0 } }),
    logger,
    now,
    cashfree,
    budget,
    concurrency: config.poll.concurrency,
    terminalStatuses: config.kyc.terminalStatuses,
    backoff: { baseMs: config.poll.backoffBaseMs, maxMs: 15 * 60_000 },
    tickMaxMs: options.tickMaxMs ?? tickMaxMsFor(config.poll.schedule),
    onSlackPost: (kind, outcome) => metrics.slackPosts.inc({ kind, outcome }),
  };

  let polling = false;
  /** Takes or renews the poll lease; the process that takes it over frees claims a dead holder left behind. */
  const heartbeat = () => {
    let held = false;
    try {
      held = lease.renew();
    } catch (error) {
      logger.warn('could not renew the poll lease; not polling until it can', { error });
    }
    if (held && !polling) {
      store.releaseAllClaims();
      logger.info('this process now polls Cashfree and posts changes');
    }
    if (!held && polling) logger.info('another process holds the poll lease; this one answers commands only');
    polling = held;
  };
  heartbeat();
  const heartbeatTimer = setInterval(heartbeat, timings.leaseRenewMs ?? LEASE_RENEW_MS);
  heartbeatTimer.unref();
  opened.push(() => lease.release(), () => clearInterval(heartbeatTimer));

  // Webhooks are processed where deliveries happen: in the lease holder, at once, and by a drain that picks
  // up events stored by the other process or before a restart.
  let pushRunning: Promise<void> | undefined;
  let pushAgain = false;
  processPush = () => {
    if (!lease.holds()) return;
    if (pushRunning !== undefined) {
      pushAgain = true;
      return;
    }
    pushRunning = processWebhookEvents(pollerDeps)
      .then(() => undefined, (error: unknown) => logger.error('webhook processing failed', { error }))
      .finally(() => {
        pushRunning = undefined;
        if (pushAgain) {
          pushAgain = false;
          processPush();
        }
      });
  };
  const drainTimer = setInterval(() => processPush(), PUSH_DRAIN_MS);
  drainTimer.unref();
  opened.push(() => pushRunning, () => clearInterval(drainTimer));

  let alertsCheckedAt = Number.NEGATIVE_INFINITY;
  const tick = async (signal?: AbortSignal): Promise<TickStats | undefined> => {
    if (!lease.holds()) return undefined;
    const stopTimer = metrics.tickDuration.startTimer();
    const stats = await runTick(pollerDeps, signal);
    stopTimer();
    // Waits are measured in minutes: looking every half minute is plenty, and spares a read of every tracking each second.
    if (now() - alertsCheckedAt >= ALERT_CHECK_MS) {
      alertsCheckedAt = now();
      await postAlerts({ ...pollerDeps, stuckAfterMs: config.alerts.stuckAfterMs });
    }
    lastTick = { ...stats, at: new Date(now()).toISOString() };
    // One line a tick; the table counts only when the tick did something (an idle tick every second need not count 100k rows).
    if (stats.polled + stats.posted + stats.failed + stats.postFailed > 0) logger.info('poll tick', { ...stats, ...store.counts() });
    else logger.debug('poll tick', { ...stats });
    return stats;
  };

  /** Only the lease holder posts digests, so two processes never post two. */
  const digest = async (): Promise<number | undefined> =>
    lease.holds() ? postDigests({ ...pollerDeps, stuckAfterMs: config.alerts.stuckAfterMs }) : undefined;

  const port = await listen(config, app, socket === undefined ? undefined : routes, opened);
  if (socket !== undefined) await openSocket(app, opened);

  const jobs: Job[] =
    options.schedule === false
      ? []
      : [
          scheduleJob('poll', config.poll.schedule, async (signal) => void (await tick(signal)), logger),
          scheduleJob('digest', config.alerts.digestSchedule, async () => void (await digest()), logger, config.alerts.timeZone),
          scheduleJob('retention', RETENTION_SCHEDULE, async () => void purgeOldData(store, logger, config.retentionDays, now()), logger),
        ];
  ready = true;
  logger.info('bot ready', { mode, port, bot_user: identity.user_id, polling: lease.holds() });

  return {
    port,
    tick: () => tick(),
    digest,
    async stop(graceMs = 10_000) {
      ready = false;
      const deadline = Date.now() + graceMs;
      await Promise.all(jobs.map((job) => job.stop(graceMs)));
      await Promise.race([Promise.allSettled([...inFlight]), delay(Math.max(0, deadline - Date.now()))]);
      for (const release of opened.reverse()) await Promise.resolve().then(release).catch(() => undefined);
    },
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
