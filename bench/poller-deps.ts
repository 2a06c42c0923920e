import { pollerDepsFor } from '../src/bot.js';
import { createCashfreeClient, type CashfreeClient } from '../src/cashfree/client.js';
import { parseConfig } from '../src/config.js';
import type { PollerDeps } from '../src/jobs/poller.js';
import { isValidSchedule } from '../src/jobs/scheduler.js';
import { createLogger, type Logger } from '../src/log.js';
import type { Store } from '../src/store/store.js';
import { createRequestBudget, type RequestBudget } from '../src/tracking/budget.js';
import { createSlackPacer, type SlackPaceRules } from '../src/tracking/pacing.js';
import { botEnv, type Sims } from './sims.js';

/** What src/config.ts gives the bot by default; the bench overrides only what a measure is about. */
export const DEFAULT_TERMINAL_STATUSES = ['REJECTED', 'EXPIRED', 'FAILED', 'APPROVED', 'AUDITOR_APPROVED', 'AUDITOR_REJECTED', 'AUDITOR_REVIEWED'];

export interface PollerSetup {
  concurrency: number;
  budget?: RequestBudget;
  /** A pass measure runs one tick to the end: 50 s unless the measure says. */
  tickMaxMs?: number;
}

/** Warnings only: a bench run should not spend its time writing log lines it throws away. */
export function quietLogger(): Logger {
  return createLogger({ level: 'warn', write: (line) => process.stderr.write(`[bot] ${line}\n`) });
}

/**
 * Slack posts unpaced: the simulator takes any rate, and these measures are about polling. Paced at
 * Slack's one post a second per channel, a mix of hundreds in one channel would measure Slack's limit
 * instead (test/e2e/pacing.test.ts covers the pacing).
 */
const SLACK_UNPACED = { intervalMs: 1, burst: 1_000 };
const UNPACED_RULES: SlackPaceRules = { 'chat.postMessage': SLACK_UNPACED, 'chat.update': SLACK_UNPACED, 'views.publish': SLACK_UNPACED };

/**
 * The poller exactly as src/bot.ts wires it (pollerDepsFor), pointed at the
 * simulators, so the bench can drive passes directly (with its own budget
 * window or abort signal) and measures the poller production runs, its
 * Slack posts unpaced.
 */
export function pollerDeps(store: Store, sims: Sims, setup: PollerSetup): PollerDeps & { cashfree: CashfreeClient } {
  const now = Date.now;
  const budget = setup.budget ?? createRequestBudget({ max: 1_000_000_000, now });
  const config = parseConfig(
    botEnv(sims, ':memory:', { POLL_CONCURRENCY: String(setup.concurrency), CASHFREE_MAX_RPM: String(budget.limit), VKYC_TERMINAL_STATUSES: DEFAULT_TERMINAL_STATUSES.join(',') }),
    isValidSchedule,
  );
  const cashfree = createCashfreeClient({ ...config.cashfree, timeoutMs: 10_000, now });
  const logger = quietLogger();
  return { ...pollerDepsFor(config, { store, cashfree, budget, slackPacer: createSlackPacer({ rules: UNPACED_RULES }), logger, now, tickMaxMs: setup.tickMaxMs ?? 50_000 }), cashfree };
}
