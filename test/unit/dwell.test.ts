import { describe, expect, it } from 'vitest';
import {
  changeProbability,
  describeModel,
  learnDwell,
  msUntilProbability,
  PRIOR_ONLY_MODEL,
  priorMeansFor,
  ratesFor,
  thresholdFor,
} from '../../src/vkyc/dwell.js';

const MINUTE = 60_000;

describe('dwell model', () => {
  it('inverts its own survival: the gap for a chance gives that chance back, across age bands', () => {
    const rates = ratesFor(PRIOR_ONLY_MODEL, 'RECEIVED', 'LINK_GENERATED');
    for (const age of [0, 30_000, 5 * MINUTE, 2 * 60 * MINUTE]) {
      for (const p of [0.01, 0.2, 0.7]) {
        expect(changeProbability(rates, age, msUntilProbability(rates, age, p))).toBeCloseTo(p, 6);
      }
    }
    expect(msUntilProbability(rates, 0, 0)).toBe(0);
    expect(msUntilProbability(rates, 0, 1)).toBe(Number.POSITIVE_INFINITY);
    expect(changeProbability(rates, 0, 0)).toBe(0);
  });

  it('learns a Gamma posterior per age band: prior pseudo-exits plus what was observed', () => {
    const [prior] = priorMeansFor('PRE_VIDEO_CALL', 'USER_DEVICE_CHECK_SUCCESS');
    const model = learnDwell([{ status: 'PRE_VIDEO_CALL', subStatus: 'USER_DEVICE_CHECK_SUCCESS', band: 0, exits: 9, exposureMs: 45_000 }]);
    const [rate] = ratesFor(model, 'pre_video_call', 'user_device_check_success');
    // Gamma(1 + 9, prior + 45 s), taken one standard deviation above its mean: (a + √a) / b.
    expect(rate).toBeCloseTo((10 + Math.sqrt(10)) / ((prior ?? 0) + 45_000), 12);
    // Other bands keep their prior (one pseudo-exit, so twice the prior's rate); states never seen keep theirs.
    expect(ratesFor(model, 'PRE_VIDEO_CALL', 'USER_DEVICE_CHECK_SUCCESS')[2]).toBeCloseTo(2 / (priorMeansFor('PRE_VIDEO_CALL', 'X')[2] ?? 1), 12);
    expect(ratesFor(model, 'VIDEO_CALL', 'CALL_STARTED')).toEqual(ratesFor(PRIOR_ONLY_MODEL, 'VIDEO_CALL', 'CALL_STARTED'));
    expect(describeModel(model)).toEqual([
      { state: 'PRE_VIDEO_CALL/USER_DEVICE_CHECK_SUCCESS', exits: 9, mean_s: expect.any(Array) },
    ]);
    expect(describeModel(model)[0]?.mean_s[0]).toBeCloseTo(((prior ?? 0) + 45_000) / (10 + Math.sqrt(10)) / 1000, 1);
    // A state seen little is polled as if it may move faster than its few exits say; with many, as the mean.
    const [callPrior = 0] = priorMeansFor('VIDEO_CALL', 'CALL_STARTED');
    const overMean = (exits: number, exposureMs: number) => {
      const [r = 0] = ratesFor(learnDwell([{ status: 'VIDEO_CALL', subStatus: 'CALL_STARTED', band: 0, exits, exposureMs }]), 'VIDEO_CALL', 'CALL_STARTED');
      return r / ((1 + exits) / (callPrior + exposureMs));
    };
    expect(overMean(1, 60_000)).toBeGreaterThan(1.5);
    expect(overMean(1_000, 60_000_000)).toBeLessThan(1.05);
  });

  it('treats an unknown status as moving, like the pre-call steps', () => {
    expect(priorMeansFor('SOMETHING_NEW', 'UNKNOWN')).toEqual(priorMeansFor('PRE_VIDEO_CALL', 'AADHAAR_VERIFICATION_SUCCESS'));
  });
});

describe('thresholdFor: the level at which the board fits the budget', () => {
  const bounds = { minMs: 1_000, maxMs: 5 * MINUTE };
  const floor = 0.05;

  it('stays at the floor when requests are plentiful', () => {
    const board = [{ status: 'RECEIVED', subStatus: 'LINK_GENERATED', band: 3, count: 10 }];
    expect(thresholdFor(PRIOR_ONLY_MODEL, { board, ratePerMs: 1, bounds, floor })).toBe(floor);
    expect(thresholdFor(PRIOR_ONLY_MODEL, { board: [], ratePerMs: 0.0001, bounds, floor })).toBe(floor);
  });

  it('rises until demand fits, and more movers raise it further', () => {
    const board = (movers: number) => [
      { status: 'RECEIVED', subStatus: 'LINK_GENERATED', band: 0, count: 300 },
      { status: 'PRE_VIDEO_CALL', subStatus: 'AADHAAR_VERIFICATION_SUCCESS', band: 0, count: movers },
    ];
    const ratePerMs = 10 / 1_000;
    const few = thresholdFor(PRIOR_ONLY_MODEL, { board: board(10), ratePerMs, bounds, floor });
    const many = thresholdFor(PRIOR_ONLY_MODEL, { board: board(100), ratePerMs, bounds, floor });
    expect(few).toBeGreaterThan(floor);
    expect(many).toBeGreaterThan(few);
  });
});
