import { DEFAULT_BACKOFF, type Backoff } from './lifecycle.js';

/**
 * When to poll a tracked verification next, from what it is doing. The request
 * budget sets the pace: a verification due now is polled as soon as a request
 * is free, least recently polled first, so "hot" means "as often as the budget
 * allows" and "cold" means "not before its interval". No I/O, no clock of its own.
 */

export interface PollSubject {
  status: string;
  subStatus: string;
  /** When status or sub-status last changed (when first observed, at the latest). */
  changedAtMs: number;
  linkExpiry: string | undefined;
  meetingSchedule: string | undefined;
  /** When Cashfree last pushed a webhook about it; undefined when never. */
  pushedAtMs?: number | undefined;
}

export interface PollPolicy {
  /** A verification that changed this recently is hot whatever its phase: changes come in runs. */
  recentChangeMs: number;
  /** A moving phase that has not moved for this long is cold: the customer has most likely left. */
  stalledAfterMs: number;
  /** A cold verification waits a tenth of its idle time, at least this long… */
  coldMinMs: number;
  /** …and never longer than this: the bound on how long a tracked verification goes unpolled. */
  coldMaxMs: number;
  /** Polling a scheduled call starts this long before `meeting_schedule`… */
  meetingLeadMs: number;
  /** …and stays hot this long after it, while the customer may still join. */
  meetingGraceMs: number;
  /** An expiring link is polled this long after `link_expiry`, so the expiry is posted at once. */
  expiryGraceMs: number;
  /** While webhooks arrived this recently, they carry the news and polling is only a safety net… */
  pushFreshMs: number;
  /** …that checks this often. */
  pushSafetyNetMs: number;
}

export const DEFAULT_POLL_POLICY: PollPolicy = {
  recentChangeMs: 3 * 60_000,
  stalledAfterMs: 30 * 60_000,
  coldMinMs: 30_000,
  coldMaxMs: 5 * 60_000,
  meetingLeadMs: 2 * 60_000,
  meetingGraceMs: 30 * 60_000,
  expiryGraceMs: 1_000,
  pushFreshMs: 10 * 60_000,
  pushSafetyNetMs: 60_000,
};

export type Heat =
  | { kind: 'hot'; reason: 'recent_change' | 'moving_phase' | 'meeting_soon' }
  | { kind: 'cold'; reason: 'waiting_for_customer' | 'waiting_for_review' | 'meeting_later' | 'stalled' };

/** Where a journey waits on someone for long: the customer opening the link, or the auditor. */
const WAITING_STATUSES = new Map<string, 'waiting_for_customer' | 'waiting_for_review'>([
  ['RECEIVED', 'waiting_for_customer'],
  ['AGENT_REVIEWED', 'waiting_for_review'],
]);
/** The call is over; the auditor's decision takes hours (Cashfree: "auditor review still pending"). */
const WAITING_SUB_STATUSES = new Map<string, 'waiting_for_review'>([['CALL_COMPLETED', 'waiting_for_review']]);

export function heatOf(subject: PollSubject, nowMs: number, policy: PollPolicy = DEFAULT_POLL_POLICY): Heat {
  const meeting = parseTime(subject.meetingSchedule);
  if (meeting !== undefined && nowMs >= meeting - policy.meetingLeadMs && nowMs <= meeting + policy.meetingGraceMs) {
    return { kind: 'hot', reason: 'meeting_soon' };
  }
  const idleMs = nowMs - subject.changedAtMs;
  if (idleMs < policy.recentChangeMs) return { kind: 'hot', reason: 'recent_change' };
  if (meeting !== undefined && nowMs < meeting - policy.meetingLeadMs) return { kind: 'cold', reason: 'meeting_later' };
  const waiting =
    WAITING_STATUSES.get(subject.status.toUpperCase()) ?? WAITING_SUB_STATUSES.get(subject.subStatus.toUpperCase());
  if (waiting !== undefined) return { kind: 'cold', reason: waiting };
  // Pre-call steps, the queue, the call, and statuses the bot does not know yet all move.
  if (idleMs >= policy.stalledAfterMs) return { kind: 'cold', reason: 'stalled' };
  return { kind: 'hot', reason: 'moving_phase' };
}

/** Webhooks for it arrived recently: they, not polling, carry its news. */
export function isPushFresh(subject: PollSubject, nowMs: number, policy: PollPolicy = DEFAULT_POLL_POLICY): boolean {
  return subject.pushedAtMs !== undefined && nowMs - subject.pushedAtMs < policy.pushFreshMs;
}

/**
 * After a successful poll: now when hot; when cold, after its interval, or earlier for a call or an
 * expiry. While webhooks keep arriving, every verification they cover is polled only as a safety net.
 */
export function nextPollAfterSuccess(subject: PollSubject, nowMs: number, policy: PollPolicy = DEFAULT_POLL_POLICY): number {
  const pushed = isPushFresh(subject, nowMs, policy);
  if (!pushed && heatOf(subject, nowMs, policy).kind === 'hot') return nowMs;
  const idleMs = Math.max(0, nowMs - subject.changedAtMs);
  let next = pushed
    ? nowMs + policy.pushSafetyNetMs
    : nowMs + Math.min(policy.coldMaxMs, Math.max(policy.coldMinMs, Math.round(idleMs / 10)));
  const meeting = parseTime(subject.meetingSchedule);
  if (meeting !== undefined && meeting - policy.meetingLeadMs > nowMs) next = Math.min(next, meeting - policy.meetingLeadMs);
  const expiry = parseTime(subject.linkExpiry);
  if (expiry !== undefined && expiry + policy.expiryGraceMs > nowMs) next = Math.min(next, expiry + policy.expiryGraceMs);
  return next;
}

/**
 * Who a failed status check is about. Only errors about the verification
 * itself earn it a backoff; when Cashfree fails for everyone, the circuit
 * breaker (and for 429, the shared budget's pause) holds every verification.
 */
export type FailureKind = 'verification' | 'systemic' | 'rate_limited';

export function failureKind(error: { status: number }): FailureKind {
  if (error.status === 429) return 'rate_limited';
  // No answer, a server error, or credentials and IP whitelisting: nothing to do with one verification.
  if (error.status === 0 || error.status >= 500 || error.status === 401 || error.status === 403) return 'systemic';
  // 404, 400/422 validation, and an answer the bot cannot read: about this verification.
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
