import { describe, expect, it } from 'vitest';
import { isFailure, pushedState, wantsCard } from '../../src/vkyc/push.js';
import { DEFAULT_POLL_POLICY, nextPollAfterSuccess } from '../../src/vkyc/schedule.js';
import { parseWebhook } from '../../src/webhooks/schema.js';
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

describe('parseWebhook', () => {
  it('reads the event, tolerating missing or odd data fields', () => {
    const parsed = parseWebhook(
      body({ event_type: 'vkyc_user_call_queued', event_time: '2026-11-23T10:00:00Z', data: { verification_id: 'vk_1', reference_id: '42', status: 'pre_video_call', sub_status: 'USER_QUEUED', name: 'x' } }),
    );
    expect(parsed).toEqual({
      ok: true,
      event: { eventType: 'VKYC_USER_CALL_QUEUED', eventTime: Date.parse('2026-11-23T10:00:00Z'), verificationId: 'vk_1', referenceId: 42, status: 'PRE_VIDEO_CALL', subStatus: 'USER_QUEUED' },
    });
    const odd = parseWebhook(body({ event_type: 'X', event_time: 'yesterday', data: { verification_id: 'has spaces', reference_id: -1, status: 7 } }));
    expect(odd).toEqual({ ok: true, event: { eventType: 'X', eventTime: undefined, verificationId: undefined, referenceId: undefined, status: undefined, subStatus: undefined } });
    expect(parseWebhook(body({ event_type: 'X', data: 'not an object' })).ok).toBe(true);
  });
  it('refuses bodies that are not JSON or have no event_type', () => {
    expect(parseWebhook(body('{"event_type":'))).toEqual({ ok: false, reason: 'not JSON' });
    expect(parseWebhook(body({ data: {} }))).toEqual({ ok: false, reason: 'no event_type' });
    expect(parseWebhook(body('[]'))).toEqual({ ok: false, reason: 'no event_type' });
  });
});

describe('push decisions', () => {
  it('takes a pushed state only with both codes and not older than the last observation', () => {
    const event = { status: 'VIDEO_CALL', subStatus: 'CALL_COMPLETED', eventTime: 2_000 };
    expect(pushedState(event, 1_000, 5_000)).toEqual({ status: 'VIDEO_CALL', subStatus: 'CALL_COMPLETED' });
    expect(pushedState(event, 3_000, 5_000)).toBeUndefined();
    expect(pushedState({ ...event, eventTime: undefined }, 3_000, 5_000)).toBeDefined();
    expect(pushedState({ ...event, subStatus: undefined }, undefined, 5_000)).toBeUndefined();
  });
  it('sees failures and rejections, for failures-only subscriptions', () => {
    expect(isFailure({ status: 'AUDITOR_REVIEWED', subStatus: 'AUDITOR_REJECTED' })).toBe(true);
    expect(isFailure({ status: 'PRE_VIDEO_CALL', subStatus: 'USER_LOCATION_VERIFICATION_FAILED' })).toBe(true);
    expect(isFailure({ status: 'REJECTED', subStatus: 'AGENT_REJECTED' })).toBe(true);
    expect(isFailure({ status: 'AUDITOR_REVIEWED', subStatus: 'AUDITOR_APPROVED' })).toBe(false);
    expect(wantsCard('all', { status: 'RECEIVED', subStatus: 'LINK_GENERATED' })).toBe(true);
    expect(wantsCard('failures', { status: 'RECEIVED', subStatus: 'LINK_GENERATED' })).toBe(false);
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
