import { describe, expect, it } from 'vitest';
import { restartReason } from '../../src/vkyc/restart.js';

const NOW = Date.parse('2026-03-02T04:00:00.000Z');
const PAST = '2026-03-01T00:00:00.000Z';
const FUTURE = '2026-03-05T00:00:00.000Z';
const state = (status: string, subStatus: string, linkExpiry: string | undefined = FUTURE, userId: string | undefined = 'cf_user_1') => ({ status, subStatus, linkExpiry, userId });

describe('restartReason', () => {
  it('offers a new start once the link expired before the call', () => {
    expect(restartReason(state('EXPIRED', 'VKYC_EXPIRED'), NOW)).toBe('link_expired');
    expect(restartReason(state('RECEIVED', 'LINK_GENERATED', PAST), NOW)).toBe('link_expired');
    expect(restartReason(state('PRE_VIDEO_CALL', 'USER_AUDIO_CHECK_FAILED', PAST), NOW)).toBe('link_expired');
  });

  it('offers it when the pre-call checks failed for good', () => {
    expect(restartReason(state('FAILED', 'USER_LOCATION_OUTSIDE_INDIA'), NOW)).toBe('pre_call_failed');
    expect(restartReason(state('failed', 'aadhaar_verification_failed'), NOW)).toBe('pre_call_failed');
  });

  it('never undoes a decision, a call, a live link or a state without its Cashfree user', () => {
    for (const [status, sub] of [
      ['APPROVED', 'AUDITOR_APPROVED'],
      ['REJECTED', 'INSUFFICIENT_BALANCE'],
      ['REJECTED', 'AGENT_REJECTED'],
      ['FAILED', 'CALL_DROPPED'],
      ['VIDEO_CALL', 'CALL_STARTED'],
    ] as const) {
      expect(restartReason(state(status, sub, PAST), NOW)).toBeUndefined();
    }
    expect(restartReason(state('PRE_VIDEO_CALL', 'USER_AUDIO_CHECK_FAILED', FUTURE), NOW)).toBeUndefined();
    expect(restartReason({ ...state('EXPIRED', 'VKYC_EXPIRED', PAST), userId: undefined }, NOW)).toBeUndefined();
  });
});
