import { describe, expect, it } from 'vitest';
import { learnDwell, PRIOR_ONLY_MODEL } from '../../src/vkyc/dwell.js';
import {
  DEFAULT_POLL_POLICY as POLICY,
  failureKind,
  nextPollAfterFailure,
  nextPollAfterSuccess,
  planNextPoll,
  type PollPlan,
  type PollSubject,
  UNREADABLE_RESPONSE,
} from '../../src/vkyc/schedule.js';

const NOW = Date.parse('2026-11-22T10:00:00Z');
const MINUTE = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

function subject(status: string, subStatus: string, idleMs: number, extra: Partial<PollSubject> = {}): PollSubject {
  return { status, subStatus, changedAtMs: NOW - idleMs, linkExpiry: undefined, meetingSchedule: undefined, ...extra };
}

describe('nextPollAfterSuccess: due when the chance that it moved reaches the threshold', () => {
  // A budget that binds: the threshold a busy board sets.
  const BUSY: PollPlan = { model: PRIOR_ONLY_MODEL, threshold: 0.1 };
  const due = (sub: PollSubject, plan: PollPlan = BUSY) => nextPollAfterSuccess(sub, NOW, plan) - NOW;

  it('ranks a fresh tracking in RECEIVED below a verification that just moved: a first observation is not a change', () => {
    const fresh = subject('RECEIVED', 'LINK_GENERATED', 0);
    const moved = subject('PRE_VIDEO_CALL', 'AADHAAR_VERIFICATION_SUCCESS', 0);
    expect(due(moved)).toBeLessThan(5_000);
    expect(due(fresh)).toBeGreaterThan(20_000);
    expect(due(moved)).toBeLessThan(due(fresh));
  });

  it('waits while someone else has to act: the customer to open the link, the auditor to decide', () => {
    for (const [status, sub] of [['RECEIVED', 'LINK_GENERATED'], ['AGENT_REVIEWED', 'AGENT_APPROVED'], ['VIDEO_CALL', 'CALL_COMPLETED']] as const) {
      expect(due(subject(status, sub, 0))).toBeGreaterThan(due(subject('VIDEO_CALL', 'CALL_STARTED', 0)));
    }
    // The longer a link has waited, the less likely it is to be opened now.
    expect(due(subject('RECEIVED', 'LINK_GENERATED', 3 * 60 * MINUTE))).toBeGreaterThan(due(subject('RECEIVED', 'LINK_GENERATED', 0)));
  });

  it('slows a moving phase that has not moved for half an hour: the customer has most likely left', () => {
    expect(due(subject('PRE_VIDEO_CALL', 'USER_PROXY_DETECTED', 31 * MINUTE))).toBeGreaterThan(10 * due(subject('PRE_VIDEO_CALL', 'USER_PROXY_DETECTED', 0)));
  });

  it('changes the order with learned dwell times', () => {
    const queued = subject('PRE_VIDEO_CALL', 'USER_QUEUED', 0);
    const received = subject('RECEIVED', 'LINK_GENERATED', 0);
    expect(due(queued)).toBeLessThan(due(received));
    // This team's customers open links within seconds, and its queue takes an hour.
    const model = learnDwell([
      { status: 'RECEIVED', subStatus: 'LINK_GENERATED', band: 0, exits: 50, exposureMs: 50 * 5_000 },
      { status: 'PRE_VIDEO_CALL', subStatus: 'USER_QUEUED', band: 0, exits: 0, exposureMs: 50 * 60_000 },
      { status: 'PRE_VIDEO_CALL', subStatus: 'USER_QUEUED', band: 1, exits: 0, exposureMs: 50 * 9 * 60_000 },
    ]);
    const plan = { model, threshold: BUSY.threshold };
    expect(due(queued, plan)).toBeGreaterThan(due(received, plan));
  });

  it('spaces polls out as the threshold rises, up to the bound', () => {
    const moving = subject('VIDEO_CALL', 'CALL_STARTED', 0);
    const at = (threshold: number) => due(moving, { model: PRIOR_ONLY_MODEL, threshold });
    expect(at(0.05)).toBeLessThan(at(0.3));
    expect(at(0.3)).toBeLessThan(at(0.9));
    expect(at(5)).toBe(POLICY.coldMaxMs);
    expect(due(subject('RECEIVED', 'LINK_GENERATED', 10 * 24 * 60 * MINUTE))).toBe(POLICY.coldMaxMs);
  });

  it('polls an idle verification right after its link expires', () => {
    const expiring = subject('RECEIVED', 'LINK_GENERATED', 60 * MINUTE, { linkExpiry: iso(NOW + 40_000) });
    expect(nextPollAfterSuccess(expiring, NOW, BUSY)).toBe(NOW + 40_000 + POLICY.expiryGraceMs);
    const expired = subject('RECEIVED', 'LINK_GENERATED', 60 * MINUTE, { linkExpiry: iso(NOW - 40_000) });
    expect(nextPollAfterSuccess(expired, NOW, BUSY)).toBe(NOW + 5 * MINUTE);
  });

  it('polls a scheduled call from shortly before it until well after it, densest at the booked time: known times win', () => {
    const scheduled = (inMs: number) =>
      subject('PRE_VIDEO_CALL', 'USER_MEETING_SCHEDULED', 60 * MINUTE, { meetingSchedule: iso(NOW + inMs) });
    const next = (inMs: number, plan = BUSY) => planNextPoll(scheduled(inMs), NOW, plan);
    expect(next(3 * MINUTE)).toEqual({ atMs: NOW + 3 * MINUTE - POLICY.meetingLeadMs, knownAtMs: NOW + 3 * MINUTE - POLICY.meetingLeadMs });
    // Closing in by halves, never past the booked time itself…
    expect(next(POLICY.meetingLeadMs).atMs).toBe(NOW + POLICY.meetingLeadMs / 2);
    expect(next(4_000).atMs).toBe(NOW + 2_000);
    expect(next(500).atMs).toBe(NOW + 500);
    // …then spreading out by halves of the time since, one step at least, until the grace ends.
    expect(next(0).atMs).toBe(NOW + POLICY.meetingStepMs);
    expect(next(-10_000).atMs).toBe(NOW + 5_000);
    expect(next(-POLICY.meetingGraceMs - 1).knownAtMs).toBeUndefined();
    // Even a threshold that spaces everything else to the bound does not delay a call that is due.
    expect(next(-2_000, { model: PRIOR_ONLY_MODEL, threshold: 5 }).atMs).toBe(NOW + POLICY.meetingStepMs);
    expect(nextPollAfterSuccess(scheduled(24 * 60 * MINUTE), NOW, BUSY)).toBeLessThanOrEqual(NOW + 5 * MINUTE);
  });

  it('keeps the known moment when the chance of news comes first', () => {
    const moving = subject('PRE_VIDEO_CALL', 'AADHAAR_VERIFICATION_SUCCESS', 0, { linkExpiry: iso(NOW + 60 * MINUTE) });
    const planned = planNextPoll(moving, NOW, BUSY);
    expect(planned.atMs).toBeLessThan(NOW + 60 * MINUTE);
    expect(planned.knownAtMs).toBe(NOW + 60 * MINUTE + POLICY.expiryGraceMs);
  });

  it('ignores times it cannot read', () => {
    const odd = subject('RECEIVED', 'LINK_GENERATED', 60 * MINUTE, { linkExpiry: 'soon', meetingSchedule: 'later' });
    expect(nextPollAfterSuccess(odd, NOW, BUSY)).toBe(nextPollAfterSuccess(subject('RECEIVED', 'LINK_GENERATED', 60 * MINUTE), NOW, BUSY));
  });
});

describe('failed polls', () => {
  it('tells errors about one verification from failures for everyone', () => {
    expect([404, 400, 422, 200].map((status) => failureKind({ status }))).toEqual(Array(4).fill('verification'));
    expect([0, 500, 502, 503, 401, 403].map((status) => failureKind({ status }))).toEqual(Array(6).fill('systemic'));
    expect(failureKind({ status: 429 })).toBe('rate_limited');
    // A body that is not JSON is the transport's fault; JSON the schema rejects is about the verification.
    expect(failureKind({ status: 200, code: UNREADABLE_RESPONSE })).toBe('systemic');
    expect(failureKind({ status: 200, code: 'unexpected_response' })).toBe('verification');
  });

  it('backs off exponentially with jitter only for errors about the verification', () => {
    const backoff = { baseMs: 15_000, maxMs: 900_000 };
    const middle = () => 0.5;
    expect(nextPollAfterFailure('verification', 1, NOW, backoff, middle)).toBe(NOW + 15_000);
    expect(nextPollAfterFailure('verification', 3, NOW, backoff, middle)).toBe(NOW + 60_000);
    expect(nextPollAfterFailure('verification', 30, NOW, backoff, middle)).toBe(NOW + 900_000);
    expect(nextPollAfterFailure('verification', 1, NOW, backoff, () => 0)).toBeLessThan(nextPollAfterFailure('verification', 1, NOW, backoff, () => 0.999));
    // The breaker and the budget's shared pause hold everyone; the verification itself stays due.
    expect(nextPollAfterFailure('systemic', 5, NOW, backoff)).toBe(NOW);
    expect(nextPollAfterFailure('rate_limited', 5, NOW, backoff)).toBe(NOW);
  });
});
