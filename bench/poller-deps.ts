import { WebClient } from '@slack/web-api';
import { createCashfreeClient, type CashfreeClient } from '../src/cashfree/client.js';
import { createRequestBudget, type RequestBudget } from '../src/tracking/budget.js';
import type { PollerDeps } from '../src/jobs/poller.js';
import { createLogger, type Logger } from '../src/log.js';
import type { Store } from '../src/store/store.js';
import { SECRETS, type Sims } from './sims.js';

/** What src/config.ts gives the bot by default; the bench overrides only what a measure is about. */
export const DEFAULT_TERMINAL_STATUSES = ['REJECTED', 'EXPIRED', 'FAILED', 'APPROVED', 'AUDITOR_APPROVED', 'AUDITOR_REJECTED', 'AUDITOR_REVIEWED'];

export interface PollerSetup {
  concurrency: number;
  budget?: RequestBudget;
  tickMaxMs?: number;
}

/** Warnings only: a bench run should not spend its time writing log lines it throws away. */
export function quietLogger(): Logger {
  return createLogger({ level: 'warn', write: (line) => process.stderr.write(`[bot] ${line}\n`) });
}

/**
 * The dependencies src/bot.ts gives runTick, wired to the simulators, so the
 * bench can drive passes directly (with its own budget window or abort signal).
 */
export function pollerDeps(store: Store, sims: Sims, setup: PollerSetup): PollerDeps & { cashfree: CashfreeClient } {
  const now = Date.now;
  return {
    store,
    slack: new WebClient(SECRETS.botToken, { slackApiUrl: sims.slack.apiUrl, rejectRateLimitedCalls: true }),
    logger: quietLogger(),
    now,
    cashfree: createCashfreeClient({
      baseUrl: sims.cashfree.baseUrl,
      clientId: SECRETS.clientId,
      clientSecret: SECRETS.clientSecret,
      apiVersion: '2024-12-01',
      timeoutMs: 10_000,
      now,
    }),
    budget: setup.budget ?? createRequestBudget({ max: 1_000_000_000, now }),
    concurrency: setup.concurrency,
    terminalStatuses: DEFAULT_TERMINAL_STATUSES,
    backoff: { baseMs: 15_000, maxMs: 15 * 60_000 },
    tickMaxMs: setup.tickMaxMs ?? 50_000,
  };
}
