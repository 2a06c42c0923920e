import { describe, expect, it } from 'vitest';
import {
  figuresBy,
  journeyOf,
  journeysIn,
  lastFullWeek,
  milestoneOf,
  percentile,
  stageFigures,
  type JourneyRecord,
} from '../../src/vkyc/turnaround.js';

import { change, MIN, T0 } from '../helpers/observed.js';

/** A journey the bot started, with every change seen between two known polls. */
const KNOWN: JourneyRecord = {
  verificationId: 'vk_known',
  template: 'vkyc_user_template_v1',
  owner: 'U0AGENT',
  startedAt: T0,
  changes: [
    change('RECEIVED', 'LINK_GENERATED', 0, null),
    change('PRE_VIDEO_CALL', 'AADHAAR_VERIFICATION_SUCCESS', 10, 8), // entered at 9 min
    change('PRE_VIDEO_CALL', 'USER_DEVICE_CHECK_SUCCESS', 12, 11),
    change('PRE_VIDEO_CALL', 'USER_QUEUED', 15, 14), // 14.5
    change('PRE_VIDEO_CALL', 'AGENT_ASSIGNED_TO_USER', 20, 18), // 19
    change('VIDEO_CALL', 'CALL_COMPLETED', 30, 29), // 29.5
    change('AUDITOR_REVIEWED', 'AUDITOR_APPROVED', 120, 118, 'terminal'), // 119
  ],
};

describe('journeyOf', () => {
  it('measures each stage from the midpoints of the polls around each change', () => {
    const journey = journeyOf(KNOWN);
    expect(journey.outcome).toBe('approved');
    expect(journey.endedAt).toBe(T0 + 120 * MIN);
    const ms = Object.fromEntries(Object.entries(journey.stages).map(([stage, time]) => [stage, time.ms]));
    expect(ms).toEqual({
      link: 9 * MIN,
      preCall: 5.5 * MIN,
      queue: 4.5 * MIN,
      call: 10.5 * MIN,
      review: 89.5 * MIN,
      endToEnd: 119 * MIN,
    });
    expect(journey.stages.review?.endedAt).toBe(T0 + 119 * MIN);
  });

  it('knows no link time for a verification it did not start, and no stage that fell between two polls', () => {
    const journey = journeyOf({
      ...KNOWN,
      startedAt: undefined,
      template: undefined,
      changes: [
        change('RECEIVED', 'LINK_GENERATED', 0, null),
        // The customer took the pre-call checks and joined the queue between two polls.
        change('PRE_VIDEO_CALL', 'USER_QUEUED', 10, 6),
        change('VIDEO_CALL', 'IN_PROGRESS', 14, 12),
        change('REJECTED', 'AUDITOR_REJECTED', 40, 30, 'terminal'),
      ],
    });
    expect(journey.outcome).toBe('rejected');
    expect(Object.keys(journey.stages).sort()).toEqual(['call', 'queue']);
    expect(journey.stages.queue?.ms).toBe(5 * MIN);
    // The agent's decision and the auditor's came in one change: the call ends there, the review is not measured.
    expect(journey.stages.call?.ms).toBe(22 * MIN);
  });

  it('ends an expired journey without a decision and without an end-to-end time', () => {
    const journey = journeyOf({
      ...KNOWN,
      changes: [change('RECEIVED', 'LINK_GENERATED', 0, null), change('EXPIRED', 'VKYC_EXPIRED', 600, 590, 'link_expired')],
    });
    expect(journey.outcome).toBe('expired');
    expect(journey.stages).toEqual({});
  });

  it('places each status on the journey', () => {
    expect(milestoneOf('RECEIVED', 'LINK_GENERATED')).toBe(0);
    expect(milestoneOf('PRE_VIDEO_CALL', 'USER_MEETING_SCHEDULED')).toBe(1);
    expect(milestoneOf('PRE_VIDEO_CALL', 'NO_AGENT_FOUND')).toBe(2);
    expect(milestoneOf('PRE_VIDEO_CALL', 'AGENT_ASSIGNED_TO_USER')).toBe(3);
    expect(milestoneOf('AGENT_REVIEWED', 'AGENT_APPROVED')).toBe(4);
    expect(milestoneOf('APPROVED', '')).toBe(5);
    expect(milestoneOf('FAILED', 'TECHNICAL_FAILURE')).toBe(5);
    expect(milestoneOf('EXPIRED', 'VKYC_EXPIRED')).toBeUndefined();
    expect(milestoneOf('SOMETHING_NEW', 'X')).toBeUndefined();
  });
});

describe('percentile (nearest rank)', () => {
  it('is always one of the values', () => {
    const ten = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(percentile(ten, 50)).toBe(5);
    expect(percentile(ten, 90)).toBe(9);
    expect(percentile([1, 2, 3], 50)).toBe(2);
    expect(percentile([1, 2, 3], 90)).toBe(3);
    expect(percentile([7], 90)).toBe(7);
    expect(percentile([], 50)).toBeUndefined();
  });
});

describe('figures over a period', () => {
  const second: JourneyRecord = {
    ...KNOWN,
    verificationId: 'vk_second',
    owner: 'U0OTHER',
    template: undefined,
    startedAt: undefined,
    changes: [change('PRE_VIDEO_CALL', 'USER_QUEUED', 0, null), change('VIDEO_CALL', 'IN_PROGRESS', 3, 1), change('VIDEO_CALL', 'CALL_COMPLETED', 50, 48)],
  };
  const journeys = [journeyOf(KNOWN), journeyOf(second)];
  const day = { startMs: T0, endMs: T0 + 24 * 60 * MIN };

  it('counts a stage in the period it ended in', () => {
    const figures = stageFigures(journeys, day);
    expect(figures.find((f) => f.stage === 'call')).toEqual({ stage: 'call', count: 2, p50: 10.5 * MIN, p90: 47 * MIN });
    // The second was first seen already queued: when it joined the queue is unknown.
    expect(figures.find((f) => f.stage === 'queue')).toEqual({ stage: 'queue', count: 1, p50: 4.5 * MIN, p90: 4.5 * MIN });
    const early = stageFigures(journeys, { startMs: T0, endMs: T0 + 60 * MIN });
    expect(early.find((f) => f.stage === 'review')).toEqual({ stage: 'review', count: 0, p50: undefined, p90: undefined });
    expect(journeysIn(journeys, { startMs: T0 + 60 * MIN, endMs: T0 + 200 * MIN }).map((j) => j.verificationId)).toEqual(['vk_known']);
  });

  it('groups by template (unknown when the bot did not start it) and by owner', () => {
    const byTemplate = figuresBy(journeys, day, 'template');
    expect(byTemplate.map((g) => g.key)).toEqual(['vkyc_user_template_v1', undefined]);
    const byOwner = figuresBy(journeys, day, 'owner');
    expect(byOwner.find((g) => g.key === 'U0OTHER')?.figures.find((f) => f.stage === 'call')?.p50).toBe(47 * MIN);
  });
});

describe('lastFullWeek', () => {
  it('is Monday to Monday in the time zone, before the current week', () => {
    expect(lastFullWeek(Date.parse('2026-12-02T00:52:00Z'), 'Asia/Kolkata')).toEqual({
      startMs: Date.parse('2026-11-22T18:30:00Z'),
      endMs: Date.parse('2026-11-29T18:30:00Z'),
    });
    // Just after midnight on a Monday, the week that just ended.
    expect(lastFullWeek(Date.parse('2026-11-29T18:31:00Z'), 'Asia/Kolkata').endMs).toBe(Date.parse('2026-11-29T18:30:00Z'));
  });

  it('keeps local midnight across a change of the clocks', () => {
    expect(lastFullWeek(Date.parse('2026-04-01T10:00:00Z'), 'Europe/Berlin')).toEqual({
      startMs: Date.parse('2026-03-22T23:00:00Z'),
      endMs: Date.parse('2026-03-29T22:00:00Z'),
    });
  });
});
