import type { Store } from '../store/store.js';
import { createCadence } from './cadence.js';
import {
  AGE_BANDS_MS,
  describeModel,
  learnDwell,
  pollGapMs,
  PRIOR_ONLY_MODEL,
  ratesFor,
  thresholdFor,
  weightOf,
  type BoardClass,
  type DwellModel,
} from '../vkyc/dwell.js';
import { DEFAULT_POLL_POLICY, type PollPlan, type PollPolicy } from '../vkyc/schedule.js';

/**
 * Keeps the store's poll plan current: how long verifications stay in each
 * state (learned from the history every `learnEveryMs`) and the threshold at
 * which the board's demand fits the request budget (every `balanceEveryMs`).
 */
export interface PlannerOptions {
  store: Pick<Store, 'dwellEvidence' | 'pollBoard' | 'setPollPlan' | 'pollPlan' | 'bringForward'>;
  /** Requests per minute the poller may spend (the budget's limit). */
  requestsPerMinute: number;
  /** Share of the budget planned for polling; the rest is left to agents' commands and buttons. */
  pollShare?: number;
  /** The shortest gap between two polls of one verification: one tick. */
  tickMs?: number;
  learnEveryMs?: number;
  balanceEveryMs?: number;
  policy?: PollPolicy;
  /** Measures how long the planner's reads take (a monotonic clock in ms): performance.now unless a test says. */
  readClock?: () => number;
}


export interface Planner {
  /** Refreshes what is due; cheap when nothing is. */
  refresh(nowMs: number): void;
}

export function createPlanner(options: PlannerOptions): Planner {
  const policy = options.policy ?? DEFAULT_POLL_POLICY;
  const learnEveryMs = options.learnEveryMs ?? 5_000;
  const balanceEveryMs = options.balanceEveryMs ?? 2_000;
  const ratePerMs = (options.requestsPerMinute * (options.pollShare ?? 0.9)) / 60_000;
  const bounds = { minMs: options.tickMs ?? 1_000, maxMs: policy.coldMaxMs };
  const learning = createCadence(learnEveryMs, options.readClock);
  const balancing = createCadence(balanceEveryMs, options.readClock);
  let model: DwellModel | undefined;
  // Until the first refresh, observations recorded by commands are planned from the priors at the floor.
  options.store.setPollPlan({ model: PRIOR_ONLY_MODEL, threshold: policy.thresholdFloor });
  return {
    refresh(nowMs) {
      if (model === undefined || learning.due(nowMs)) {
        model = learnDwell(learning.read(nowMs, () => options.store.dwellEvidence()));
        // What was learned is balanced at once.
        balancing.reset();
      }
      if (!balancing.due(nowMs)) return;
      const board = balancing.read(nowMs, () => options.store.pollBoard(nowMs, nowMs - policy.pushFreshMs));
      const threshold = Number.isFinite(ratePerMs)
        ? thresholdFor(model, { board, ratePerMs, bounds, floor: policy.thresholdFloor })
        : policy.thresholdFloor;
      const before = options.store.pollPlan();
      options.store.setPollPlan({ model, threshold });
      // A gap is set when a verification is polled. Where the new plan polls a class much sooner than the
      // one it was scheduled by (the bot has just learned that customers open links within seconds), the
      // verifications waiting on the old gap are brought forward now, not a whole old gap later.
      const sooner = fasterClasses(board, before, { model, threshold }, bounds);
      if (sooner.length > 0) options.store.bringForward(sooner, nowMs, nowMs - policy.pushFreshMs);
    },
  };
}

/** Board classes whose gap under `after` is less than half their gap under `before`, with the new gap. */
export function fasterClasses(
  board: readonly BoardClass[],
  before: PollPlan,
  after: PollPlan,
  bounds: { minMs: number; maxMs: number },
): (BoardClass & { gapMs: number })[] {
  const gap = (plan: PollPlan, c: BoardClass) =>
    pollGapMs(ratesFor(plan.model, c.status, c.subStatus), weightOf(c.status, c.subStatus), AGE_BANDS_MS[c.band] ?? 0, plan.threshold, bounds);
  return board
    .map((c) => ({ ...c, gapMs: gap(after, c), was: gap(before, c) }))
    .filter((c) => c.gapMs * 2 < c.was)
    .map(({ was: _was, ...c }) => c);
}

/** The plan's figures for /healthz: the threshold and the mean time in each learned state per age band. */
export function describePlan(store: Pick<Store, 'pollPlan'>): { threshold: number; dwell: ReturnType<typeof describeModel> } {
  const plan = store.pollPlan();
  return { threshold: Math.round(plan.threshold * 1000) / 1000, dwell: describeModel(plan.model) };
}
