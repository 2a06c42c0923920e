import { describe, expect, it } from 'vitest';
import { EXPIRY_WARNING_MS, isLinkAboutToExpire, isStuck, isWaitingState, waitKey } from '../../src/vkyc/alerts.js';
import { outcomeOf, phaseOf, startOfDayMs } from '../../src/vkyc/phases.js';

const NOW = Date.parse('2026-03-02T10:00:00.000Z');
const MIN = 60_000;

describe('isStuck', () => {
  const queued = { status: 'PRE_VIDEO_CALL', subStatus: 'USER_QUEUED', sinceMs: NOW - 31 * MIN };
  it('is stuck after the threshold in a waiting state, not before', () => {
    expect(isStuck(queued, NOW, 30 * MIN)).toBe(true);
    expect(isStuck({ ...queued, sinceMs: NOW - 29 * MIN }, NOW, 30 * MIN)).toBe(false);
    expect(isStuck({ ...queued, sinceMs: NOW - 30 * MIN }, NOW, 30 * MIN)).toBe(true);
  });
  it('counts queues, no agent, finished calls and reviews as waits; progress and final states are not', () => {
    expect(isWaitingState('PRE_VIDEO_CALL', 'NO_AGENT_FOUND')).toBe(true);
    expect(isWaitingState('VIDEO_CALL', 'CALL_COMPLETED')).toBe(true);
    expect(isWaitingState('AGENT_REVIEWED', 'ANYTHING')).toBe(true);
    expect(isWaitingState('PRE_VIDEO_CALL', 'USER_PROXY_DETECTED')).toBe(true);
    expect(isWaitingState('PRE_VIDEO_CALL', 'AADHAAR_VERIFICATION_SUCCESS')).toBe(false);
    expect(isWaitingState('PRE_VIDEO_CALL', 'USER_MEETING_SCHEDULED')).toBe(false);
    expect(isWaitingState('AUDITOR_REVIEWED', 'AUDITOR_APPROVED')).toBe(false);
    expect(isStuck({ status: 'RECEIVED', subStatus: 'LINK_GENERATED', sinceMs: 0 }, NOW, 30 * MIN)).toBe(false);
  });
  it('names each wait by state and start, so a new wait is a new note', () => {
    expect(waitKey(queued)).not.toBe(waitKey({ ...queued, sinceMs: queued.sinceMs + 1 }));
    expect(waitKey(queued)).not.toBe(waitKey({ ...queued, subStatus: 'NO_AGENT_FOUND' }));
  });
});

describe('isLinkAboutToExpire', () => {
  const at = (ms: number) => new Date(ms).toISOString();
  it('warns within the hour before expiry while the customer has not started', () => {
    expect(isLinkAboutToExpire('RECEIVED', at(NOW + 59 * MIN), NOW)).toBe(true);
    expect(isLinkAboutToExpire('RECEIVED', at(NOW + EXPIRY_WARNING_MS), NOW)).toBe(true);
    expect(isLinkAboutToExpire('RECEIVED', at(NOW + 61 * MIN), NOW)).toBe(false);
  });
  it('does not warn once expired, once started, or without a readable expiry', () => {
    expect(isLinkAboutToExpire('RECEIVED', at(NOW), NOW)).toBe(false);
    expect(isLinkAboutToExpire('PRE_VIDEO_CALL', at(NOW + 10 * MIN), NOW)).toBe(false);
    expect(isLinkAboutToExpire('RECEIVED', 'soon', NOW)).toBe(false);
    expect(isLinkAboutToExpire('RECEIVED', null, NOW)).toBe(false);
  });
});

describe('phases and outcomes', () => {
  it('puts each status in one phase', () => {
    expect(phaseOf('RECEIVED', 'LINK_GENERATED')).toBe('customer');
    expect(phaseOf('PRE_VIDEO_CALL', 'USER_PROXY_DETECTED')).toBe('customer');
    expect(phaseOf('PRE_VIDEO_CALL', 'USER_QUEUED')).toBe('call');
    expect(phaseOf('VIDEO_CALL', 'CALL_STARTED')).toBe('call');
    expect(phaseOf('VIDEO_CALL', 'CALL_COMPLETED')).toBe('review');
    expect(phaseOf('AGENT_REVIEWED', 'X')).toBe('review');
    expect(phaseOf('AUDITOR_REVIEWED', 'AUDITOR_APPROVED')).toBe('ended');
    expect(phaseOf('REJECTED', 'INSUFFICIENT_BALANCE')).toBe('ended');
  });
  it('reads approvals, rejections and expiries', () => {
    expect(outcomeOf('AUDITOR_REVIEWED', 'AUDITOR_APPROVED', 'terminal')).toBe('approved');
    expect(outcomeOf('REJECTED', 'AUDITOR_REJECTED', 'terminal')).toBe('rejected');
    expect(outcomeOf('PRE_VIDEO_CALL', 'AADHAAR_VERIFICATION_SUCCESS', 'link_expired')).toBe('expired');
  });
  it('finds midnight in a time zone', () => {
    // 10:00 UTC is 15:30 IST; IST midnight is 18:30 UTC the day before.
    expect(startOfDayMs(NOW, 'Asia/Kolkata')).toBe(Date.parse('2026-03-01T18:30:00.000Z'));
    expect(startOfDayMs(NOW + 123, 'UTC')).toBe(Date.parse('2026-03-02T00:00:00.000Z'));
  });
});
