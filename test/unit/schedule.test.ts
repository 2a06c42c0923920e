import { describe, expect, it } from 'vitest';
import {
  DEFAULT_POLL_POLICY as POLICY,
  failureKind,
  heatOf,
  nextPollAfterFailure,
  nextPollAfterSuccess,
  type PollSubject,
} from '../../src/vkyc/schedule.js';

const NOW = Date.parse('2026-11-22T10:00:00Z');
const MINUTE = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

function subject(status: string, subStatus: string, idleMs: number, extra: Partial<PollSubject> = {}): PollSubject {
  return { status, subStatus, changedAtMs: NOW - idleMs, linkExpiry: undefined, meetingSchedule: undefined, ...extra };
}

describe('heat: which verifications are polled as often as the budget allows', () => {
  it('is hot when it changed in the last few minutes, whatever the phase', () => {
    expect(heatOf(subject('RECEIVED', 'LINK_GENERATED', 10_000), NOW)).toEqual({ kind: 'hot', reason: 'recent_change' });
    expect(heatOf(subject('AGENT_REVIEWED', 'X', 2 * MINUTE), NOW).kind).toBe('hot');
  });

  it('is hot in a moving phase: pre-call steps after the link was opened, the queue, the call', () => {
    for (const [status, sub] of [
      ['PRE_VIDEO_CALL', 'AADHAAR_VERIFICATION_SUCCESS'],
      ['PRE_VIDEO_CALL', 'USER_QUEUED'],
      ['VIDEO_CALL', 'CALL_STARTED'],
      ['SOMETHING_NEW', 'UNKNOWN'],
    ] as const) {
      expect(heatOf(subject(status, sub, 10 * MINUTE), NOW)).toEqual({ kind: 'hot', reason: 'moving_phase' });
    }
  });

  it('is cold while someone else has to act: the customer to open the link, the auditor to decide', () => {
    expect(heatOf(subject('RECEIVED', 'LINK_GENERATED', 4 * MINUTE), NOW)).toEqual({ kind: 'cold', reason: 'waiting_for_customer' });
    expect(heatOf(subject('AGENT_REVIEWED', 'AGENT_APPROVED', 4 * MINUTE), NOW)).toEqual({ kind: 'cold', reason: 'waiting_for_review' });
    expect(heatOf(subject('VIDEO_CALL', 'CALL_COMPLETED', 4 * MINUTE), NOW)).toEqual({ kind: 'cold', reason: 'waiting_for_review' });
  });

  it('cools a moving phase that has not moved for half an hour', () => {
    expect(heatOf(subject('PRE_VIDEO_CALL', 'USER_PROXY_DETECTED', 31 * MINUTE), NOW)).toEqual({ kind: 'cold', reason: 'stalled' });
  });

  it('is cold until shortly before a scheduled call, hot from then until well after it', () => {
    const scheduled = (inMs: number, idleMs = 40 * MINUTE) =>
      subject('PRE_VIDEO_CALL', 'USER_MEETING_SCHEDULED', idleMs, { meetingSchedule: iso(NOW + inMs) });
    expect(heatOf(scheduled(60 * MINUTE), NOW)).toEqual({ kind: 'cold', reason: 'meeting_later' });
    expect(heatOf(scheduled(POLICY.meetingLeadMs), NOW)).toEqual({ kind: 'hot', reason: 'meeting_soon' });
    expect(heatOf(scheduled(-10 * MINUTE), NOW)).toEqual({ kind: 'hot', reason: 'meeting_soon' });
    // Long after the slot, a customer who never joined is like any stalled journey.
    expect(heatOf(scheduled(-31 * MINUTE), NOW)).toEqual({ kind: 'cold', reason: 'stalled' });
    expect(heatOf(scheduled(60 * MINUTE, 1_000), NOW)).toEqual({ kind: 'hot', reason: 'recent_change' });
  });
});

describe('nextPollAfterSuccess', () => {
  it('makes a hot verification due at once: the budget sets the pace', () => {
    expect(nextPollAfterSuccess(subject('PRE_VIDEO_CALL', 'USER_QUEUED', 0), NOW)).toBe(NOW);
  });

  it('waits a tenth of a cold verification\'s idle time, between 30 s and the 5 min bound', () => {
    const after = (idleMs: number) => nextPollAfterSuccess(subject('RECEIVED', 'LINK_GENERATED', idleMs), NOW) - NOW;
    expect(after(4 * MINUTE)).toBe(30_000);
    expect(after(20 * MINUTE)).toBe(2 * MINUTE);
    expect(after(10 * 24 * 60 * MINUTE)).toBe(5 * MINUTE);
    expect(POLICY.coldMaxMs).toBe(5 * MINUTE);
  });

  it('polls an idle verification right after its link expires', () => {
    const expiring = subject('RECEIVED', 'LINK_GENERATED', 60 * MINUTE, { linkExpiry: iso(NOW + 40_000) });
    expect(nextPollAfterSuccess(expiring, NOW)).toBe(NOW + 40_000 + POLICY.expiryGraceMs);
    const expired = subject('RECEIVED', 'LINK_GENERATED', 60 * MINUTE, { linkExpiry: iso(NOW - 40_000) });
    expect(nextPollAfterSuccess(expired, NOW)).toBe(NOW + 5 * MINUTE);
  });

  it('polls a scheduled call from shortly before it', () => {
    const scheduled = subject('PRE_VIDEO_CALL', 'USER_MEETING_SCHEDULED', 60 * MINUTE, { meetingSchedule: iso(NOW + 3 * MINUTE) });
    expect(nextPollAfterSuccess(scheduled, NOW)).toBe(NOW + 3 * MINUTE - POLICY.meetingLeadMs);
    const tomorrow = subject('PRE_VIDEO_CALL', 'USER_MEETING_SCHEDULED', 60 * MINUTE, { meetingSchedule: iso(NOW + 24 * 60 * MINUTE) });
    expect(nextPollAfterSuccess(tomorrow, NOW)).toBe(NOW + 5 * MINUTE);
  });

  it('ignores times it cannot read', () => {
    const odd = subject('RECEIVED', 'LINK_GENERATED', 60 * MINUTE, { linkExpiry: 'soon', meetingSchedule: 'later' });
    expect(nextPollAfterSuccess(odd, NOW)).toBe(NOW + 5 * MINUTE);
  });
});

describe('failed polls', () => {
  it('tells errors about one verification from failures for everyone', () => {
    expect([404, 400, 422, 200].map((status) => failureKind({ status }))).toEqual(Array(4).fill('verification'));
    expect([0, 500, 502, 503, 401, 403].map((status) => failureKind({ status }))).toEqual(Array(6).fill('systemic'));
    expect(failureKind({ status: 429 })).toBe('rate_limited');
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
