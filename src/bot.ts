import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { WebClient } from '@slack/web-api';
import { createCashfreeClient } from './cashfree/client.js';
import { registerCommands, type InFlight } from './commands/index.js';
import type { CommandDeps } from './commands/context.js';
import type { Config } from './config.js';
import { createRequestBudget } from './jobs/budget.js';
import { runTick, type PollerDeps, type TickStats } from './jobs/poller.js';
import { purgeOldData } from './jobs/retention.js';
import { scheduleJob, type Job } from './jobs/scheduler.js';
import type { Logger } from './log.js';
import { renderQr } from './qr.js';
import { boltLogger, createSlackApp, slackClientOptions } from './slack/app.js';
import { slackFailure } from './slack/failures.js';
import { openStore } from './store/store.js';

/** A start-up failure the operator can act on; its message is the one line they see. */
export class StartupError extends Error {
  override name = 'StartupError';
}

export interface Bot {
  /** The HTTP port Slack requests (or, in Socket Mode, `/healthz`) are served on. */
  port: number;
  /** Runs one poll tick now (the scheduler runs them on `POLL_SCHEDULE`). */
  tick(): Promise<TickStats>;
  stop(graceMs?: number): Promise<void>;
}

export interface BotOptions {
  logger: Logger;
  now?: () => number;
  /** Longest a tick keeps taking new work. */
  tickMaxMs?: number;
  /** Skip the cron jobs (tests that drive ticks by hand). */
  schedule?: boolean;
}

const RETENTION_SCHEDULE = '17 3 * * *';

export async function startBot(config: Config, options: BotOptions): Promise<Bot> {
  const { logger } = options;
  const now = options.now ?? Date.now;
  const store = openStore(config.databasePath);
  const boltLog = boltLogger(logger);
  const identity = await new WebClient(config.slack.botToken, slackClientOptions(config, boltLog)).auth
    .test()
    .catch((error: unknown) => {
      store.close();
      throw new StartupError(`Slack rejected the bot token at start-up (${slackFailure(error).code}); check SLACK_BOT_TOKEN and SLACK_API_URL`);
    });
  const cashfree = createCashfreeClient({ ...config.cashfree, now });
  const budget = createRequestBudget({ max: config.cashfree.maxRequestsPerMinute, now });
  const deps: CommandDeps = { config, store, cashfree, budget, logger, now, renderQr };
  const inFlight: InFlight = new Set();
  let ready = false;
  let lastTick: (TickStats & { at: string }) | undefined;

  const app = createSlackApp({
    config,
    logger,
    botId: identity.bot_id ?? '',
    botUserId: identity.user_id ?? '',
    health: () => ({ ready, mode: config.slack.appToken === undefined ? 'http' : 'socket', ...store.counts(), last_tick: lastTick }),
  });
  registerCommands(app, deps, inFlight);
  app.error(async (error) => logger.error('slack request failed', { error }));

  const pollerDeps: PollerDeps = {
    store,
    slack: app.client,
    logger,
    now,
    cashfree,
    budget,
    concurrency: config.poll.concurrency,
    terminalStatuses: config.kyc.terminalStatuses,
    backoff: { baseMs: config.poll.backoffBaseMs, maxMs: 15 * 60_000 },
    tickMaxMs: options.tickMaxMs ?? 50_000,
  };
  const tick = async (signal?: AbortSignal) => {
    const stats = await runTick(pollerDeps, signal);
    lastTick = { ...stats, at: new Date(now()).toISOString() };
    logger.info('poll tick', { ...stats, ...store.counts() });
    return stats;
  };

  let port: number;
  try {
    const started = (await app.start(config.slack.port)) as Server | undefined;
    port = (started?.address() as AddressInfo | null)?.port ?? config.slack.port;
  } catch (error) {
    await cashfree.close();
    store.close();
    throw new StartupError(`could not start listening on PORT ${config.slack.port}: ${(error as Error).message}`);
  }

  const jobs: Job[] =
    options.schedule === false
      ? []
      : [
          scheduleJob('poll', config.poll.schedule, async (signal) => void (await tick(signal)), logger),
          scheduleJob(
            'retention',
            RETENTION_SCHEDULE,
            async () => void purgeOldData(store, logger, config.retentionDays, now()),
            logger,
          ),
        ];
  ready = true;
  logger.info('bot ready', { mode: config.slack.appToken === undefined ? 'http' : 'socket', port, bot_user: identity.user_id });

  return {
    port,
    tick: () => tick(),
    async stop(graceMs = 10_000) {
      ready = false;
      const deadline = Date.now() + graceMs;
      await Promise.all(jobs.map((job) => job.stop(graceMs)));
      await Promise.race([Promise.allSettled([...inFlight]), delay(Math.max(0, deadline - Date.now()))]);
      await app.stop().catch(() => undefined);
      await cashfree.close().catch(() => undefined);
      store.close();
    },
  };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
