import { describe, expect, it } from 'vitest';
import { milestoneOf, postsInThread, type MilestoneChange } from '../../src/vkyc/milestones.js';

function change(previous: string | null, current: string, finalReason: MilestoneChange['final_reason'] = null): MilestoneChange {
  const [status = '', sub_status = ''] = current.split('/');
  const [previous_status = null, previous_sub_status = null] = previous === null ? [] : previous.split('/');
  return { status, sub_status, previous_status, previous_sub_status, final_reason: finalReason };
}

describe('condensed threads: milestones', () => {
  it('keeps the milestones of a whole journey and skips the steps between them', () => {
    const journey = [
      'RECEIVED/LINK_GENERATED',
      'PRE_VIDEO_CALL/AADHAAR_VERIFICATION_SUCCESS',
      'PRE_VIDEO_CALL/USER_IP_VERIFICATION_SUCCESSFUL',
      'PRE_VIDEO_CALL/USER_LOCATION_VERIFICATION_SUCCESS',
      'PRE_VIDEO_CALL/USER_DEVICE_CHECK_SUCCESS',
      'PRE_VIDEO_CALL/USER_MEETING_SCHEDULED',
      'PRE_VIDEO_CALL/USER_QUEUED',
      'PRE_VIDEO_CALL/AGENT_ASSIGNED_TO_USER',
      'VIDEO_CALL/CALL_COMPLETED',
      'AGENT_REVIEWED/AGENT_APPROVED',
      'AUDITOR_REVIEWED/AUDITOR_APPROVED',
    ];
    const milestones = journey.slice(1).map((step, i) => milestoneOf(change(journey[i] ?? null, step, i === journey.length - 2 ? 'terminal' : null)));
    expect(milestones).toEqual([
      'link_opened',
      undefined,
      undefined,
      undefined,
      undefined,
      'queued',
      'call_started',
      undefined,
      'decision',
      'decision',
    ]);
  });
  it('always keeps a change that ends tracking, and an expiry', () => {
    expect(milestoneOf(change('PRE_VIDEO_CALL/USER_PROXY_DETECTED', 'SOMETHING_NEW/UNKNOWN', 'terminal'))).toBe('decision');
    expect(milestoneOf(change('RECEIVED/LINK_GENERATED', 'RECEIVED/LINK_GENERATED', 'link_expired'))).toBe('expiry');
    expect(milestoneOf(change('PRE_VIDEO_CALL/USER_QUEUED', 'EXPIRED/VKYC_EXPIRED'))).toBe('expiry');
    expect(milestoneOf(change('RECEIVED/LINK_GENERATED', 'REJECTED/INSUFFICIENT_BALANCE'))).toBe('decision');
  });
  it('counts the queue and the call once, when they begin', () => {
    expect(milestoneOf(change('PRE_VIDEO_CALL/NO_AGENT_FOUND', 'PRE_VIDEO_CALL/SCHEDULED_USER_QUEUED'))).toBe('queued');
    expect(milestoneOf(change('VIDEO_CALL/AGENT_ASSIGNED_TO_USER', 'VIDEO_CALL/CALL_COMPLETED'))).toBeUndefined();
    expect(milestoneOf(change('PRE_VIDEO_CALL/USER_QUEUED', 'VIDEO_CALL/AGENT_ASSIGNED_TO_USER'))).toBe('call_started');
    expect(milestoneOf(change('PRE_VIDEO_CALL/AGENT_ASSIGNED_TO_USER', 'VIDEO_CALL/CALL_COMPLETED'))).toBeUndefined();
    expect(milestoneOf(change('PRE_VIDEO_CALL/USER_QUEUED', 'VIDEO_CALL/CALL_COMPLETED'))).toBe('call_started');
    expect(milestoneOf(change('PRE_VIDEO_CALL/USER_QUEUED', 'PRE_VIDEO_CALL/NO_AGENT_FOUND'))).toBeUndefined();
  });
  it('posts everything in a channel that is not condensed', () => {
    const step = change('PRE_VIDEO_CALL/AADHAAR_VERIFICATION_SUCCESS', 'PRE_VIDEO_CALL/USER_IP_VERIFICATION_SUCCESSFUL');
    expect(postsInThread(step, false)).toBe(true);
    expect(postsInThread(step, true)).toBe(false);
  });
});
