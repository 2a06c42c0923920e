import { outcomeOf, phaseOf, type Outcome } from './phases.js';

/**
 * Turnaround per stage of a Video KYC journey, from the bot's own observations (Cashfree has no report
 * API). No I/O, no clock of its own.
 *
 * A journey passes milestones in order: the link is created, the customer takes a first step, joins the
 * agents' queue, an agent takes the call, the agent decides (the call completed, or AGENT_REVIEWED), the
 * auditor decides (approved or rejected). Each milestone is the first observed state at or past it, so a
 * customer who retries the pre-call checks after NO_AGENT_FOUND adds that time to the later stages.
 *
 * When a state was entered: the bot only sees a change between two observations, the last one that still
 * saw the previous state (`seenBeforeAt`) and the one that saw the new state (`observedAt`). The entry time
 * is the midpoint of the two, rounded down to the millisecond: off by at most half the gap, so a stage is
 * off by at most half of each of the gaps at its two ends. The very first observation of a verification has no earlier one: when the bot created the
 * verification itself (`/kyc vkyc`), that is when the link was created; otherwise when it entered that
 * state is unknown. A stage whose start and end fell between the same two observations is not measured
 * (its length is anywhere from zero to the gap).
 */

export type Stage = 'link' | 'preCall' | 'queue' | 'call' | 'review' | 'endToEnd';

export const STAGES: readonly Stage[] = ['link', 'preCall', 'queue', 'call', 'review', 'endToEnd'];

/** One observed change, as the store keeps it. */
export interface ObservedChange {
  status: string;
  subStatus: string;
  observedAt: number;
  /** The last observation that still saw the previous state; null on the first observation. */
  seenBeforeAt: number | null;
  finalReason: string | null;
}

/** What the bot knows of one verification: enough for its stages, nothing about the customer. */
export interface JourneyRecord {
  verificationId: string;
  /** The user template `/kyc vkyc` started it with; undefined when the bot did not start it. */
  template: string | undefined;
  /** Who started it with `/kyc vkyc`, or else who first tracked it. */
  owner: string;
  /** When `/kyc vkyc` created it; undefined when the bot did not. */
  startedAt: number | undefined;
  /** Every observed change, oldest first. */
  changes: readonly ObservedChange[];
}

export interface StageTime {
  ms: number;
  /** When the stage ended: a report counts a stage in the period it ended in. */
  endedAt: number;
}

export interface Journey {
  verificationId: string;
  template: string | undefined;
  owner: string;
  /** How it ended; undefined while it goes on. */
  outcome: Outcome | undefined;
  /** When the final state was observed. */
  endedAt: number | undefined;
  stages: Partial<Record<Stage, StageTime>>;
}

/** Milestones: 0 link created, 1 first step, 2 queued, 3 in the call, 4 agent decided, 5 auditor decided. */
const QUEUE_SUB_STATUSES = new Set(['USER_QUEUED', 'SCHEDULED_USER_QUEUED', 'NO_AGENT_FOUND']);
const DECIDED = 5;

/** How far along the journey a state is; undefined for a state that ends it without a decision (expiry, failure) or is unknown. */
export function milestoneOf(status: string, subStatus: string): number | undefined {
  const s = status.toUpperCase();
  const sub = subStatus.toUpperCase();
  const phase = phaseOf(s, sub);
  if (phase === 'ended') {
    const outcome = outcomeOf(s, sub, null);
    return outcome === 'approved' || outcome === 'rejected' ? DECIDED : undefined;
  }
  if (phase === 'review') return 4;
  if (phase === 'call') return QUEUE_SUB_STATUSES.has(sub) ? 2 : 3;
  if (s === 'RECEIVED') return 0;
  return s === 'PRE_VIDEO_CALL' ? 1 : undefined;
}

/** Where each stage starts and ends, by milestone. */
const STAGE_SPAN: Record<Stage, readonly [number, number]> = {
  link: [0, 1],
  preCall: [1, 2],
  queue: [2, 3],
  call: [3, 4],
  review: [4, 5],
  endToEnd: [0, 5],
};

interface Reached {
  at: number | undefined;
  /** When the bot first saw it reached: the change's observation, or the start by `/kyc vkyc`. */
  seenAt: number;
  /** Which change reached it (-1: the start by `/kyc vkyc`). */
  change: number;
}

function entryTime(change: ObservedChange, isFirst: boolean, startedAt: number | undefined): number | undefined {
  if (change.seenBeforeAt !== null) return change.seenBeforeAt + Math.floor((change.observedAt - change.seenBeforeAt) / 2);
  return isFirst && startedAt !== undefined ? startedAt : undefined;
}

/** The milestones a verification's observations reached, and how it ended if it did. */
function milestonesOf(record: JourneyRecord): { reached: Map<number, Reached>; outcome: Outcome | undefined; endedAt: number | undefined } {
  const reached = new Map<number, Reached>();
  if (record.startedAt !== undefined) reached.set(0, { at: record.startedAt, seenAt: record.startedAt, change: -1 });
  let outcome: Outcome | undefined;
  let endedAt: number | undefined;
  record.changes.forEach((change, index) => {
    if (change.finalReason !== null) {
      outcome = outcomeOf(change.status, change.subStatus, change.finalReason);
      endedAt = change.observedAt;
    }
    const milestone = milestoneOf(change.status, change.subStatus);
    if (milestone === undefined) return;
    const at = entryTime(change, index === 0, record.startedAt);
    // The first change at or past a milestone reaches it, and every milestone before it not reached yet.
    for (let m = milestone; m >= 0 && !reached.has(m); m -= 1) {
      reached.set(m, { at, seenAt: change.observedAt, change: index });
    }
  });
  return { reached, outcome, endedAt };
}

/** The stages of one verification that the bot's observations measure. */
export function journeyOf(record: JourneyRecord): Journey {
  const { reached, outcome, endedAt } = milestonesOf(record);
  const stages: Partial<Record<Stage, StageTime>> = {};
  for (const stage of STAGES) {
    const [from, to] = STAGE_SPAN[stage];
    const start = reached.get(from);
    const end = reached.get(to);
    if (start?.at === undefined || end?.at === undefined || start.change === end.change) continue;
    stages[stage] = { ms: Math.max(0, end.at - start.at), endedAt: end.at };
  }
  return { verificationId: record.verificationId, template: record.template, owner: record.owner, outcome, endedAt, stages };
}

export interface OpenStage {
  stage: Stage;
  /**
   * When it started: its entry time as `journeyOf` dates it, or, when that is unknown (the bot first saw the
   * verification already in it), the observation that first saw it, so the stage has lasted at least since then.
   */
  sinceMs: number;
}

/**
 * The stages a verification that has not ended is in now: the one after the furthest milestone reached (a
 * customer back at the pre-call checks after the queue is still in the later stage, as `journeyOf` counts it),
 * and end to end. None once it has ended.
 */
export function openStages(record: JourneyRecord): OpenStage[] {
  const { reached, endedAt } = milestonesOf(record);
  if (endedAt !== undefined) return [];
  const furthest = Math.max(-1, ...reached.keys());
  if (furthest < 0 || furthest >= DECIDED) return [];
  const open: OpenStage[] = [];
  for (const stage of STAGES) {
    const [from, to] = STAGE_SPAN[stage];
    const start = reached.get(from);
    if (start === undefined || furthest < from || furthest >= to) continue;
    open.push({ stage, sinceMs: start.at ?? start.seenAt });
  }
  return open;
}

/**
 * The nearest-rank percentile: the smallest value with at least p % of the values at or below it,
 * `sorted[ceil(p / 100 × n) − 1]`. Always one of the observed values; undefined for no values.
 */
export function percentile(sorted: readonly number[], p: number): number | undefined {
  if (sorted.length === 0) return undefined;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1];
}

export interface Period {
  /** Inclusive. */
  startMs: number;
  /** Exclusive. */
  endMs: number;
}

export interface StageFigure {
  stage: Stage;
  /** Stages that ended in the period. */
  count: number;
  p50: number | undefined;
  p90: number | undefined;
}

const inPeriod = (at: number, period: Period) => at >= period.startMs && at < period.endMs;

/** p50 and p90 per stage over the stages that ended in the period. */
export function stageFigures(journeys: readonly Journey[], period: Period): StageFigure[] {
  return STAGES.map((stage) => {
    const durations = journeys
      .map((journey) => journey.stages[stage])
      .filter((time): time is StageTime => time !== undefined && inPeriod(time.endedAt, period))
      .map((time) => time.ms)
      .sort((a, b) => a - b);
    return { stage, count: durations.length, p50: percentile(durations, 50), p90: percentile(durations, 90) };
  });
}

export interface GroupFigures {
  /** A template name or an owner's user id; undefined for journeys whose template is unknown. */
  key: string | undefined;
  figures: StageFigure[];
}

/** The same figures per template or per owner, the groups with the most measured stages first. */
export function figuresBy(journeys: readonly Journey[], period: Period, by: 'template' | 'owner'): GroupFigures[] {
  const groups = new Map<string | undefined, Journey[]>();
  for (const journey of journeys) {
    const key = by === 'template' ? journey.template : journey.owner;
    groups.set(key, [...(groups.get(key) ?? []), journey]);
  }
  const total = (figures: readonly StageFigure[]) => figures.reduce((sum, figure) => sum + figure.count, 0);
  return [...groups.entries()]
    .map(([key, members]) => ({ key, figures: stageFigures(members, period) }))
    .filter((group) => total(group.figures) > 0)
    .sort((a, b) => total(b.figures) - total(a.figures) || String(a.key ?? '~').localeCompare(String(b.key ?? '~')));
}

/** Journeys with something in the period: a stage that ended in it, or the final state. */
export function journeysIn(journeys: readonly Journey[], period: Period): Journey[] {
  return journeys.filter(
    (journey) =>
      (journey.endedAt !== undefined && inPeriod(journey.endedAt, period)) ||
      STAGES.some((stage) => {
        const time = journey.stages[stage];
        return time !== undefined && inPeriod(time.endedAt, period);
      }),
  );
}

const DAY_MS = 24 * 60 * 60_000;

/**
 * The last full calendar week (Monday 00:00 to Monday 00:00 in `timeZone`) before `nowMs`: what a weekly
 * report covers, and its key, so a report runs once per week however often the schedule fires.
 */
export function lastFullWeek(nowMs: number, timeZone: string): Period {
  const weekday = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short' }).format(new Date(nowMs));
  const sinceMonday = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(weekday);
  const thisMonday = localMidnight(nowMs - Math.max(0, sinceMonday) * DAY_MS, timeZone);
  return { startMs: localMidnight(thisMonday - 7 * DAY_MS + DAY_MS / 2, timeZone), endMs: thisMonday };
}

/** Midnight in `timeZone` of the day `ms` falls on, read again at that midnight so a DST change between is corrected. */
function localMidnight(ms: number, timeZone: string): number {
  const guess = ms - secondsIntoDay(ms, timeZone) * 1000 - (ms % 1000);
  const off = secondsIntoDay(guess, timeZone);
  if (off === 0) return guess;
  // The clocks moved between `ms` and the guess: an hour short of midnight, or an hour past it.
  return off > DAY_MS / 2000 ? guess + (DAY_MS / 1000 - off) * 1000 : guess - off * 1000;
}

function secondsIntoDay(ms: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(ms));
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? '0');
  return (part('hour') * 60 + part('minute')) * 60 + part('second');
}
