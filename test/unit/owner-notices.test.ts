import { describe, expect, it } from 'vitest';
import { isStillNews, ownerDmForChange, ownerDmsDueAt } from '../../src/vkyc/owner-notices.js';

const change = (status: string, subStatus: string, previous?: [string, string], finalReason: string | null = null) => ({
  status,
  subStatus,
  previousStatus: previous?.[0] ?? null,
  previousSubStatus: previous?.[1] ?? null,
  finalReason,
});
const MIN = 60_000;
const T = Date.parse('2026-12-02T10:00:00.000Z');

describe('which changes need the owner', () => {
  it('classifies failed pre-call checks, drop-offs and rejections; nothing else', () => {
    expect(ownerDmForChange(change('PRE_VIDEO_CALL', 'USER_AUDIO_CHECK_FAILED'))).toBe('precheck_failed');
    expect(ownerDmForChange(change('PRE_VIDEO_CALL', 'AADHAAR_VERIFICATION_FAILED'))).toBe('precheck_failed');
    expect(ownerDmForChange(change('PRE_VIDEO_CALL', 'NO_AGENT_FOUND', ['PRE_VIDEO_CALL', 'USER_QUEUED']))).toBe('dropoff');
    // Back before the queue from the call: the customer left it.
    expect(ownerDmForChange(change('PRE_VIDEO_CALL', 'AADHAAR_VERIFICATION_SUCCESS', ['VIDEO_CALL', 'AGENT_ASSIGNED_TO_USER']))).toBe('dropoff');
    expect(ownerDmForChange(change('AUDITOR_REVIEWED', 'AUDITOR_REJECTED', ['AGENT_REVIEWED', 'CALL_COMPLETED'], 'terminal'))).toBe('rejected');
    expect(ownerDmForChange(change('REJECTED', 'INSUFFICIENT_BALANCE', undefined, 'terminal'))).toBe('rejected');
    expect(ownerDmForChange(change('AUDITOR_REVIEWED', 'AUDITOR_APPROVED', undefined, 'terminal'))).toBeUndefined();
    expect(ownerDmForChange(change('PRE_VIDEO_CALL', 'USER_QUEUED', ['PRE_VIDEO_CALL', 'USER_DEVICE_CHECK_SUCCESS']))).toBeUndefined();
    expect(ownerDmForChange(change('VIDEO_CALL', 'CALL_COMPLETED', ['VIDEO_CALL', 'AGENT_ASSIGNED_TO_USER']))).toBeUndefined();
    expect(ownerDmForChange(change('SOMETHING_NEW', 'UNHEARD_OF'))).toBeUndefined();
  });

  it('asks for a DM ten minutes before a booked call, and within the hour before an unused link expires', () => {
    const booked = { status: 'PRE_VIDEO_CALL', subStatus: 'USER_MEETING_SCHEDULED', linkExpiry: null, meetingSchedule: new Date(T + 15 * MIN).toISOString() };
    expect(ownerDmsDueAt(booked, T)).toEqual([]);
    expect(ownerDmsDueAt(booked, T + 5 * MIN)).toEqual([{ kind: 'call_soon', key: booked.meetingSchedule }]);
    expect(ownerDmsDueAt(booked, T + 15 * MIN)).toEqual([]);
    expect(ownerDmsDueAt({ ...booked, status: 'VIDEO_CALL', subStatus: 'AGENT_ASSIGNED_TO_USER' }, T + 5 * MIN)).toEqual([]);
    const unused = { status: 'RECEIVED', subStatus: 'LINK_GENERATED', linkExpiry: new Date(T + 90 * MIN).toISOString(), meetingSchedule: null };
    expect(ownerDmsDueAt(unused, T)).toEqual([]);
    expect(ownerDmsDueAt(unused, T + 40 * MIN)).toEqual([{ kind: 'expiring', key: unused.linkExpiry }]);
  });

  it('drops a timed DM held past its moment; what happened to the customer stays news', () => {
    const at = new Date(T).toISOString();
    expect(isStillNews('call_soon', at, T - MIN)).toBe(true);
    expect(isStillNews('call_soon', at, T + MIN)).toBe(false);
    expect(isStillNews('expiring', at, T + MIN)).toBe(false);
    expect(isStillNews('rejected', 'change:12', T + 24 * 60 * MIN)).toBe(true);
  });
});
