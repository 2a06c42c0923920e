import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { viewRefusal } from '../../sim/slack-block-kit.js';
import { homeView, teamCounts } from '../../src/slack/home-view.js';
import { chartAltText, reportBlocks, turnaroundCsv, turnaroundHomeBlocks } from '../../src/slack/turnaround.js';
import { figuresBy, journeyOf, STAGES, stageFigures, type JourneyRecord } from '../../src/vkyc/turnaround.js';
import { hostileNonBlank, messageProblems, PROPERTY_SETTINGS } from '../helpers/hostile.js';

fc.configureGlobal(PROPERTY_SETTINGS);

const STATES: ReadonlyArray<[string, string]> = [
  ['RECEIVED', 'LINK_GENERATED'],
  ['PRE_VIDEO_CALL', 'AADHAAR_VERIFICATION_SUCCESS'],
  ['PRE_VIDEO_CALL', 'USER_QUEUED'],
  ['PRE_VIDEO_CALL', 'NO_AGENT_FOUND'],
  ['PRE_VIDEO_CALL', 'AGENT_ASSIGNED_TO_USER'],
  ['VIDEO_CALL', 'CALL_COMPLETED'],
  ['AGENT_REVIEWED', 'X'],
  ['AUDITOR_REVIEWED', 'AUDITOR_APPROVED'],
  ['REJECTED', 'AUDITOR_REJECTED'],
  ['EXPIRED', 'VKYC_EXPIRED'],
  ['SOMETHING_NEW', 'UNKNOWN'],
];

const owner = fc.stringMatching(/^U[A-Z0-9]{8}$/);
const record: fc.Arbitrary<JourneyRecord> = fc.record({
  verificationId: hostileNonBlank,
  template: fc.option(hostileNonBlank, { nil: undefined }),
  owner,
  startedAt: fc.option(fc.integer({ min: 0, max: 1_000_000 }), { nil: undefined }),
  changes: fc
    .array(fc.record({ state: fc.constantFrom(...STATES), gap: fc.integer({ min: 0, max: 10_000_000 }), seen: fc.boolean(), final: fc.boolean() }), { maxLength: 12 })
    .map((steps) => {
      let at = 1_000_000;
      return steps.map((step) => {
        const seenBeforeAt = step.seen ? at : null;
        at += step.gap;
        return { status: step.state[0], subStatus: step.state[1], observedAt: at, seenBeforeAt, finalReason: step.final ? 'terminal' : null };
      });
    }),
});

describe('turnaround from any observations', () => {
  it('never measures a negative stage, and every message stays within Slack limits', () => {
    fc.assert(
      fc.property(fc.array(record, { maxLength: 40 }), (records) => {
        const journeys = records.map(journeyOf);
        for (const journey of journeys) for (const stage of STAGES) expect(journey.stages[stage]?.ms ?? 0).toBeGreaterThanOrEqual(0);
        const period = { startMs: 0, endMs: Number.MAX_SAFE_INTEGER };
        const figures = stageFigures(journeys, period);
        const byTemplate = figuresBy(journeys, period, 'template');
        const byOwner = figuresBy(journeys, period, 'owner');
        const home = turnaroundHomeBlocks({ days: 7, mine: figures, team: figures, byTemplate });
        expect(viewRefusal(homeView([], teamCounts([], 0), home))).toBeUndefined();
        const blocks = reportBlocks({ from: '23 Nov 2026', to: '29 Nov 2026', figures, byTemplate, byOwner, journeys: journeys.length });
        expect(messageProblems({ text: 'report', blocks }, { trustedMentions: records.map((r) => r.owner), balancedCodeSpans: true })).toEqual([]);
        expect(chartAltText(figures, '23 Nov 2026', '29 Nov 2026').length).toBeLessThanOrEqual(1_000);
        expect(turnaroundCsv(journeys).split('\r\n').length).toBeGreaterThanOrEqual(journeys.length + 1);
      }),
      { numRuns: 100 },
    );
  });
});
