import { describe, expect, it } from 'vitest';
import { breachKey, dueSlaSteps, parseBreachKey, parseDuration, parseSlaLimits, type SlaPolicy } from '../../src/vkyc/sla.js';
import { openStages, type JourneyRecord, type ObservedChange } from '../../src/vkyc/turnaround.js';

import { change, MIN, T0 } from '../helpers/observed.js';

const record = (changes: ObservedChange[], startedAt: number | undefined): JourneyRecord => ({
  verificationId: 'vk_sla',
  template: undefined,
  owner: 'U0AGENT',
  startedAt,
  changes,
});

/** Started at T0, first step at 10 min, queued at 20 min (each seen between polls a minute apart). */
const QUEUED = record([
  change('RECEIVED', 'LINK_SENT', 1, null),
  change('PRE_VIDEO_CALL', 'USER_DEVICE_CHECK_SUCCESS', 11, 9),
  change('PRE_VIDEO_CALL', 'USER_QUEUED', 21, 19),
], T0);

const POLICY: SlaPolicy = { limits: { queue: 15 * MIN, endToEnd: 120 * MIN }, escalateAfterMs: undefined };

describe('KYC_SLA', () => {
  it('reads stage=duration pairs, the stages by their turnaround names', () => {
    expect(parseSlaLimits('queue=15m, call=45m,review=4h')).toEqual({ limits: { queue: 15 * MIN, call: 45 * MIN, review: 240 * MIN } });
    expect(parseSlaLimits('pre-call=90s,end-to-end=2d,Link=1h')).toEqual({ limits: { preCall: 90_000, endToEnd: 2 * 24 * 60 * MIN, link: 60 * MIN } });
    expect(parseSlaLimits('endToEnd=1h')).toEqual({ limits: { endToEnd: 60 * MIN } });
    expect(parseSlaLimits('')).toEqual({ limits: {} });
  });

  it('names the valid stages and units when something is wrong', () => {
    expect(parseSlaLimits('queu=15m')).toEqual({ error: 'has "queu=15m": write stage=duration, where the stage is one of link, pre-call, queue, call, review, end-to-end' });
    expect(parseSlaLimits('queue')).toMatchObject({ error: expect.stringContaining('stage=duration') });
    expect(parseSlaLimits('queue=15')).toMatchObject({ error: expect.stringContaining('such as 15m or 4h') });
    expect(parseSlaLimits('queue=0m')).toMatchObject({ error: expect.stringContaining('such as 15m or 4h') });
    expect(parseSlaLimits('queue=5m,queue=6m')).toEqual({ error: 'names the stage queue twice' });
    expect(parseDuration('1.5h')).toBeUndefined();
    expect(parseDuration('30 m')).toBe(30 * MIN);
  });
});

describe('open stages', () => {
  it('are the stage after the furthest milestone and end to end, dated as turnaround dates them', () => {
    expect(openStages(QUEUED)).toEqual([
      { stage: 'queue', sinceMs: T0 + 20 * MIN },
      { stage: 'endToEnd', sinceMs: T0 },
    ]);
  });

  it('stay in the later stage when the customer is back at the pre-call checks', () => {
    const back = record([...QUEUED.changes, change('PRE_VIDEO_CALL', 'USER_DEVICE_CHECK_SUCCESS', 31, 29)], T0);
    expect(openStages(back)[0]).toEqual({ stage: 'queue', sinceMs: T0 + 20 * MIN });
  });

  it('start no later than the first observation when the bot did not see them begin', () => {
    const tracked = record([change('VIDEO_CALL', 'IN_PROGRESS', 5, null)], undefined);
    expect(openStages(tracked)).toEqual([
      { stage: 'call', sinceMs: T0 + 5 * MIN },
      { stage: 'endToEnd', sinceMs: T0 + 5 * MIN },
    ]);
  });

  it('are none once the verification has ended', () => {
    const ended = record([...QUEUED.changes, change('EXPIRED', 'LINK_EXPIRED', 40, 39, 'link_expired')], T0);
    expect(openStages(ended)).toEqual([]);
  });
});

describe('due SLA steps', () => {
  it('a stage within its limit is due for nothing', () => {
    expect(dueSlaSteps(QUEUED, POLICY, T0 + 35 * MIN)).toEqual([]);
  });

  it('past its limit the owner is due a DM; past the limit again, the escalation', () => {
    const key = breachKey('queue', T0 + 20 * MIN);
    expect(dueSlaSteps(QUEUED, POLICY, T0 + 36 * MIN)).toEqual([{ stage: 'queue', step: 'dm', sinceMs: T0 + 20 * MIN, limitMs: 15 * MIN, key }]);
    expect(dueSlaSteps(QUEUED, POLICY, T0 + 50 * MIN).map((due) => due.step)).toEqual(['dm']);
    expect(dueSlaSteps(QUEUED, POLICY, T0 + 51 * MIN).map((due) => `${due.stage}:${due.step}`)).toEqual(['queue:dm', 'queue:escalation']);
  });

  it('an escalation delay of its own replaces the limit', () => {
    const quick = { ...POLICY, escalateAfterMs: 5 * MIN };
    expect(dueSlaSteps(QUEUED, quick, T0 + 41 * MIN).map((due) => due.step)).toEqual(['dm', 'escalation']);
  });

  it('end to end breaches on its own, with its own key', () => {
    const due = dueSlaSteps(record(QUEUED.changes.slice(0, 2), T0), POLICY, T0 + 121 * MIN);
    expect(due).toEqual([{ stage: 'endToEnd', step: 'dm', sinceMs: T0, limitMs: 120 * MIN, key: `endToEnd@${T0}` }]);
  });

  it('a stage that moved on is no longer in breach; entering it again is a new breach', () => {
    const called = record([...QUEUED.changes, change('VIDEO_CALL', 'IN_PROGRESS', 41, 39)], T0);
    expect(dueSlaSteps(called, POLICY, T0 + 60 * MIN)).toEqual([]);
    expect(parseBreachKey(breachKey('queue', T0))).toEqual({ stage: 'queue', sinceMs: T0 });
    expect(parseBreachKey('queue@')).toBeUndefined();
    expect(parseBreachKey('nostage@1')).toBeUndefined();
  });
});
