import { createRequestBudget, defaultBurst } from '../src/tracking/budget.js';
import { runTick } from '../src/jobs/poller.js';
import { scheduleJob, tickMaxMsFor } from '../src/jobs/scheduler.js';
import type { Store } from '../src/store/store.js';
import { delay, until } from './pace.js';
import { pollerDeps, quietLogger } from './poller-deps.js';
import type { Sims } from './sims.js';
import { slidingWindows, type WindowStats } from './stats.js';

/**
 * CASHFREE_MAX_RPM 120 over 60 s, with the window scaled down tenfold: 12
 * requests per 6 s window. The rate (2 a second) and the burst (5, what a
 * 120-a-minute budget gets) are the real ones, and so are the ticks: every
 * second (POLL_SCHEDULE's default), each taking work for tickMaxMsFor(schedule).
 * The budget's 100 ms safety margin is kept as the bot has it, unscaled, so the
 * scaled run is the stricter one: at most 6,000 / 6,100 = 98.4 % of the budget
 * can be used (99.8 % at 60 s).
 */
const SCHEDULE = '* * * * * *';
export const BUDGET = { max: 12, windowMs: 6_000, burst: defaultBurst(120), schedule: SCHEDULE, tickMaxMs: tickMaxMsFor(SCHEDULE), runMs: 26_000, concurrency: 4, latencyMs: 50 };
const SCALE = 10;

export interface BudgetResults {
  scale: string;
  max: number;
  windowMs: number;
  requests: number;
  observedMs: number;
  windows: WindowStats;
  /** Mean requests per sliding window over the budget: the share of the budget used while work waited. */
  utilisation: number;
  /** Verifications due when the run started: far more than the budget lets through. */
  due: number;
}

/** Measure 4: the poller on a schedule, with more due work than the budget allows, counted by the simulator. */
export async function measureBudgetAdherence(sims: Sims, store: Store): Promise<BudgetResults> {
  const { due } = store.counts();
  sims.forget();
  sims.cashfree.setLatency(BUDGET.latencyMs);
  const budget = createRequestBudget({ max: BUDGET.max, windowMs: BUDGET.windowMs, burst: BUDGET.burst });
  const deps = pollerDeps(store, sims, { concurrency: BUDGET.concurrency, budget, tickMaxMs: BUDGET.tickMaxMs });
  const job = scheduleJob('poll', BUDGET.schedule, async (signal) => void (await runTick(deps, signal)), quietLogger());
  const first = await until('the first scheduled request', () => sims.cashfree.requests[0]?.at, 10_000, 5);
  await delay(first + BUDGET.runMs - Date.now());
  const observedTo = Date.now();
  await job.stop(1_000);
  await deps.cashfree.close();
  const times = sims.cashfree.requests.filter((r) => r.op === 'vkyc' && r.at < observedTo).map((r) => r.at);
  const windows = slidingWindows(times, BUDGET.windowMs, first, observedTo);
  sims.cashfree.setLatency(0);
  sims.forget();
  return {
    scale: `${BUDGET.max} per ${BUDGET.windowMs / 1000} s (= 120 per 60 s, window scaled 1/${SCALE})`,
    max: BUDGET.max,
    windowMs: BUDGET.windowMs,
    requests: times.length,
    observedMs: observedTo - first,
    windows,
    utilisation: windows.meanInWindow / BUDGET.max,
    due,
  };
}
