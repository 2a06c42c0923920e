import { PRIOR_ONLY_MODEL, pollGapMs, ratesFor, weightOf, type DwellModel } from './dwell.js';
import { DEFAULT_BACKOFF, type Backoff } from './lifecycle.js';

/**
 * When to poll a tracked verification next, from what it is doing and how long
 * verifications stay there (src/vkyc/dwell.ts). A verification is due when the
 * chance that it moved reaches the plan's threshold; the poller takes due ones
 * earliest first, as fast as the request budget allows. No I/O, no clock of its own.
 */

export interface PollSubject {
  status: string;
  subStatus: string;
  /** When status or sub-status last changed, or when the bot first saw this state: a first observation is not a change. */
  changedAtMs: number;
  linkExpiry: string | undefined;
  meetingSchedule: string | undefined;
  /** When Cashfree last pushed a webhook about it; undefined when never. */
  pushedAtMs?: number | undefined;
}

export interface PollPolicy {
  /** The bound on how long a tracked verification goes unpolled. */
  coldMaxMs: number;
  /** Polling a scheduled call starts this long before `meeting_schedule`… */
  meetingLeadMs: number;
  /** …closes in on the booked time by halves, then spreads out by halves of the time since, this long after it, while the customer may still join… */
  meetingGraceMs: number;
  /** …never closer than this (one tick). */
  meetingStepMs: number;
  /** An expiring link is polled this long after `link_expiry`, so the expiry is posted at once. */
  expiryGraceMs: number;
  /** While webhooks arrived this recently, they carry the news and polling is only a safety net… */
  pushFreshMs: number;
  /** …that checks this often. */
  pushSafetyNetMs: number;
  /** Below this weighted chance of news a poll is not worth a request, even when requests are free. */
  thresholdFloor: number;
}

export const DEFAULT_POLL_POLICY: PollPolicy = {
  coldMaxMs: 5 * 60_000,
  meetingLeadMs: 15_000,
  meetingGraceMs: 10 * 60_000,
  meetingStepMs: 1_000,
  expiryGraceMs: 1_000,
  pushFreshMs: 10 * 60_000,
  pushSafetyNetMs: 60_000,
  thresholdFloor: 0.001,
};

/**
 * What the poller knows when it plans: how long verifications stay in each
 * state, and the threshold at which the board's demand fits the budget.
 */
export interface PollPlan {
  model: DwellModel;
  threshold: number;
}

export const DEFAULT_POLL_PLAN: PollPlan = { model: PRIOR_ONLY_MODEL, threshold: DEFAULT_POLL_POLICY.thresholdFloor };

/** Webhooks for it arrived recently: they, not polling, carry its news. */
export function isPushFresh(subject: PollSubject, nowMs: number, policy: PollPolicy = DEFAULT_POLL_POLICY): boolean {
  return subject.pushedAtMs !== undefined && nowMs - subject.pushedAtMs < policy.pushFreshMs;
}

/**
 * After a successful poll: when the weighted chance that the verification has
 * moved reaches the plan's threshold, from how long verifications stay in its
 * state at its age there (so a link waiting for its customer is polled rarely
 * from the start, and a customer in the pre-call checks as often as the budget
 * allows). Known times are exact: a scheduled call is due from its lead time
 * and an expiring link just after it expires. While webhooks keep arriving,
 * polling is only a safety net. Never later than the bound.
 */
export function nextPollAfterSuccess(
  subject: PollSubject,
  nowMs: number,
  plan: PollPlan = DEFAULT_POLL_PLAN,
  policy: PollPolicy = DEFAULT_POLL_POLICY,
): number {
  return planNextPoll(subject, nowMs, plan, policy).atMs;
}

/** The next poll, and the next moment something is known to happen (see nextKnownTime). */
export interface PlannedPoll {
  atMs: number;
  /** Polls due at a known moment go before other due work, however overdue that is, once this has passed. */
  knownAtMs: number | undefined;
}

/**
 * The next poll: when the weighted chance of news reaches the plan's threshold, or the next known moment
 * if that comes first. The known moment is kept even when the chance comes first, so that a verification
 * overdue on its chance (the budget is behind) still goes first once its call or expiry comes.
 */
export function planNextPoll(
  subject: PollSubject,
  nowMs: number,
  plan: PollPlan = DEFAULT_POLL_PLAN,
  policy: PollPolicy = DEFAULT_POLL_POLICY,
): PlannedPoll {
  const pushed = isPushFresh(subject, nowMs, policy);
  const ageMs = Math.max(0, nowMs - subject.changedAtMs);
  const bounds = { minMs: 0, maxMs: policy.coldMaxMs };
  const gap = pushed
    ? policy.pushSafetyNetMs
    : pollGapMs(ratesFor(plan.model, subject.status, subject.subStatus), weightOf(subject.status, subject.subStatus), ageMs, plan.threshold, bounds);
  const knownAtMs = nextKnownTime(subject, nowMs, pushed, policy);
  return { atMs: Math.min(nowMs + gap, knownAtMs ?? Number.POSITIVE_INFINITY), knownAtMs };
}

/**
 * The next moment, after `nowMs`, at which a poll is known to be worth it: just after the link expires,
 * and around a booked call (from its lead, closing in on the booked time by halves, then spreading out by
 * halves of the time since until the grace ends: dense where the customer joins, a few polls in all).
 * While webhooks arrive, they carry the call's news: only its lead and the expiry are kept.
 */
export function nextKnownTime(subject: PollSubject, nowMs: number, pushed: boolean, policy: PollPolicy = DEFAULT_POLL_POLICY): number | undefined {
  const times: number[] = [];
  const expiry = parseTime(subject.linkExpiry);
  if (expiry !== undefined && expiry + policy.expiryGraceMs > nowMs) times.push(expiry + policy.expiryGraceMs);
  const meeting = parseTime(subject.meetingSchedule);
  if (meeting !== undefined) {
    const lead = meeting - policy.meetingLeadMs;
    if (lead > nowMs) times.push(lead);
    else if (!pushed && nowMs <= meeting + policy.meetingGraceMs) {
      const step = Math.max(policy.meetingStepMs, Math.abs(meeting - nowMs) / 2);
      times.push(Math.round(nowMs < meeting ? Math.min(meeting, nowMs + step) : nowMs + step));
    }
  }
  return times.length === 0 ? undefined : Math.min(...times);
}

/**
 * Who a failed status check is about. Only errors about the verification
 * itself earn it a backoff; when Cashfree fails for everyone, the circuit
 * breaker (and for 429, the shared budget's pause) holds every verification.
 */
/** The error code of a 2xx answer whose body does not parse as JSON. */
export const UNREADABLE_RESPONSE = 'unreadable_response';

export type FailureKind = 'verification' | 'systemic' | 'rate_limited';

export function failureKind(error: { status: number; code?: string }): FailureKind {
  if (error.status === 429) return 'rate_limited';
  // No answer, a server error, or credentials and IP whitelisting: nothing to do with one verification.
  if (error.status === 0 || error.status >= 500 || error.status === 401 || error.status === 403) return 'systemic';
  // A body that is not JSON at all (a proxy's page, a truncated answer) is the transport's fault, like a 5xx.
  if (error.code === UNREADABLE_RESPONSE) return 'systemic';
  // 404, 400/422 validation, and well-formed JSON the schema rejects: about this verification.
  return 'verification';
}

/** After a failed poll: verification errors back off exponentially with jitter; the rest are due at once. */
export function nextPollAfterFailure(
  kind: FailureKind,
  attempts: number,
  nowMs: number,
  backoff: Backoff = DEFAULT_BACKOFF,
  random: () => number = Math.random,
): number {
  if (kind !== 'verification') return nowMs;
  const exponential = Math.min(backoff.maxMs, backoff.baseMs * 2 ** Math.max(0, attempts - 1));
  return nowMs + Math.round(exponential * (0.75 + random() * 0.5));
}

function parseTime(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}
