import { describe, expect, it } from 'vitest';
import { vkycStateSchema } from '../../src/cashfree/schemas.js';
import { isFailure, pushedState } from '../../src/vkyc/push.js';
import { DEFAULT_POLL_POLICY, nextPollAfterSuccess } from '../../src/vkyc/schedule.js';
import { eventKeys, parseWebhook } from '../../src/webhooks/schema.js';
import { isSignedByCashfree, webhookSignature } from '../../src/webhooks/signature.js';

const body = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));

describe('webhook signature', () => {
  const raw = body({ event_type: 'VKYC_USER_CALL_QUEUED' });
  const good = webhookSignature('secret', '1746427759733', raw);
  it('accepts the HMAC of timestamp + raw body with the client secret', () => {
    expect(isSignedByCashfree('secret', '1746427759733', good, raw)).toBe(true);
  });
  it('refuses a missing, empty, wrong or differently sized signature, another timestamp, another body', () => {
    expect(isSignedByCashfree('secret', '1746427759733', undefined, raw)).toBe(false);
    expect(isSignedByCashfree('secret', undefined, good, raw)).toBe(false);
    expect(isSignedByCashfree('secret', '1746427759733', '', raw)).toBe(false);
    expect(isSignedByCashfree('other', '1746427759733', good, raw)).toBe(false);
    expect(isSignedByCashfree('secret', '1746427759734', good, raw)).toBe(false);
    expect(isSignedByCashfree('secret', '1746427759733', good.slice(1), raw)).toBe(false);
    expect(isSignedByCashfree('secret', '1746427759733', good, body({ event_type: 'VKYC_USER_CALL_QUEUED ' }))).toBe(false);
  });
});

/** The sample in Cashfree's webhook documentation (cashfree-api.md §6.1), verbatim. */
const DOCUMENTED = {
  signature: 'wBBgeTOZUyXgj6vySAm9fJYCtdXvlVHQCA6dV5uVssw=',
  event_type: 'VKYC_USER_LINK_GENERATED',
  event_time: '2025-05-22T03:51:14Z',
  version: 'v1',
  data: {
    verification_id: 'test333',
    reference_id: 10449,
    user_reference_id: 10259,
    user_id: 'test11',
    status: 'RECEIVED',
    sub_status: 'LINK_GENERATED',
    vkyc_link: 'https://forms.qa.cashfree.net/verification/c8k926bpt84g',
    link_expiry: '2025-06-21',
    recording_link: '',
    meeting_schedule: '',
  },
};

describe('parseWebhook', () => {
  it("reads the documented payload's data as GET /vkyc answers are read, without the customer's link", () => {
    const parsed = parseWebhook(body(DOCUMENTED));
    const polled = vkycStateSchema.parse({ ...DOCUMENTED.data, link_expiry: '2025-06-21T00:00:00.000Z', recording_link: null, meeting_schedule: null });
    expect(parsed).toEqual({
      ok: true,
      event: { eventType: 'VKYC_USER_LINK_GENERATED', eventTime: Date.parse('2025-05-22T03:51:14Z'), verificationId: 'test333', referenceId: 10449, state: polled },
    });
    expect(polled).toEqual({
      verificationId: 'test333', referenceId: 10449, userId: 'test11', status: 'RECEIVED', subStatus: 'LINK_GENERATED',
      linkExpiry: '2025-06-21T18:29:59.999Z', meetingSchedule: undefined, hasRecording: false,
    });
    expect(JSON.stringify(parsed)).not.toContain('c8k926bpt84g');
  });
  it('takes a meeting time and a recording from data, as from a poll', () => {
    const data = { ...DOCUMENTED.data, sub_status: 'USER_MEETING_SCHEDULED', status: 'PRE_VIDEO_CALL', meeting_schedule: '2025-07-09T14:50:00.000Z', recording_link: 'https://s3/x' };
    const parsed = parseWebhook(body({ ...DOCUMENTED, event_type: 'VKYC_USER_CALL_SCHEDULED', data }));
    expect(parsed.ok && parsed.event.state).toMatchObject({ meetingSchedule: '2025-07-09T14:50:00.000Z', hasRecording: true });
  });
  it('still finds the verification when data carries no state, and tolerates odd fields', () => {
    const idOnly = parseWebhook(body({ event_type: 'vkyc_user_call_queued', data: { verification_id: 'vk_1', reference_id: '42' } }));
    expect(idOnly).toEqual({ ok: true, event: { eventType: 'VKYC_USER_CALL_QUEUED', eventTime: undefined, verificationId: 'vk_1', referenceId: 42, state: undefined } });
    const odd = parseWebhook(body({ event_type: 'X', event_time: 'yesterday', data: { verification_id: 'has spaces', reference_id: -1, status: 'RECEIVED' } }));
    expect(odd).toEqual({ ok: true, event: { eventType: 'X', eventTime: undefined, verificationId: undefined, referenceId: undefined, state: undefined } });
    expect(parseWebhook(body({ event_type: 'X', data: 'not an object' })).ok).toBe(true);
  });
  it('knows a redelivery stamped with another time by its content, and nothing by the customer\'s link', () => {
    const keysOf = (value: unknown) => {
      const parsed = parseWebhook(body(value));
      if (!parsed.ok) throw new Error(parsed.reason);
      return eventKeys(parsed.event);
    };
    const first = keysOf(DOCUMENTED);
    expect(keysOf({ ...DOCUMENTED, signature: 'another' })).toEqual(first);
    expect(keysOf({ ...DOCUMENTED, data: { ...DOCUMENTED.data, vkyc_link: 'https://forms.cashfree.com/verification/other' } })).toEqual(first);
    const restamped = keysOf({ ...DOCUMENTED, event_time: '2025-05-22T03:52:14Z' });
    expect(restamped.content).toBe(first.content);
    expect(restamped.delivery).not.toBe(first.delivery);
    expect(keysOf({ ...DOCUMENTED, data: { ...DOCUMENTED.data, sub_status: 'LINK_EXPIRED' } }).content).not.toBe(first.content);
  });
  it('refuses bodies that are not JSON or have no event_type', () => {
    expect(parseWebhook(body('{"event_type":'))).toEqual({ ok: false, reason: 'not JSON' });
    expect(parseWebhook(body({ data: {} }))).toEqual({ ok: false, reason: 'no event_type' });
    expect(parseWebhook(body('[]'))).toEqual({ ok: false, reason: 'no event_type' });
  });
});

describe('push decisions', () => {
  it('takes a pushed state only when the event carries one not older than the last observation', () => {
    const state = { verificationId: 'vk_1', referenceId: 1, userId: undefined, status: 'VIDEO_CALL', subStatus: 'CALL_COMPLETED', linkExpiry: undefined, meetingSchedule: undefined, hasRecording: true };
    const event = { state, eventTime: 2_000 };
    expect(pushedState(event, 1_000, 5_000)).toEqual(state);
    expect(pushedState(event, 3_000, 5_000)).toBeUndefined();
    expect(pushedState({ ...event, eventTime: undefined }, 3_000, 5_000)).toEqual(state);
    expect(pushedState({ ...event, state: undefined }, undefined, 5_000)).toBeUndefined();
  });
  it('sees failures and rejections, for the `failures` rule', () => {
    expect(isFailure({ status: 'AUDITOR_REVIEWED', subStatus: 'AUDITOR_REJECTED' })).toBe(true);
    expect(isFailure({ status: 'PRE_VIDEO_CALL', subStatus: 'USER_LOCATION_VERIFICATION_FAILED' })).toBe(true);
    expect(isFailure({ status: 'REJECTED', subStatus: 'AGENT_REJECTED' })).toBe(true);
    expect(isFailure({ status: 'AUDITOR_REVIEWED', subStatus: 'AUDITOR_APPROVED' })).toBe(false);
  });
  it('polls a verification that webhooks cover only as a safety net, and as usual again once they stop', () => {
    const queued = { status: 'PRE_VIDEO_CALL', subStatus: 'USER_QUEUED', changedAtMs: 0, linkExpiry: undefined, meetingSchedule: undefined };
    const now = 60_000;
    const usual = nextPollAfterSuccess(queued, now);
    expect(usual - now).toBeLessThan(DEFAULT_POLL_POLICY.pushSafetyNetMs);
    expect(nextPollAfterSuccess({ ...queued, pushedAtMs: now - 1_000 }, now)).toBe(now + DEFAULT_POLL_POLICY.pushSafetyNetMs);
    expect(nextPollAfterSuccess({ ...queued, pushedAtMs: now - DEFAULT_POLL_POLICY.pushFreshMs }, now)).toBe(usual);
  });
});
