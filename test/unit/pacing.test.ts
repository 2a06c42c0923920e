import { describe, expect, it } from 'vitest';
import { afterCall, afterRateLimited, freshPace, isAtRest, msUntilSlot, type Pace, type PaceRule } from '../../src/vkyc/pacing.js';

const rule: PaceRule = { intervalMs: 1_000, burst: 3 };

/** Every ms from `from` to `to` at which a caller asking on each ms is let through, starting from `pace`. */
function granted(pace: Pace, from: number, to: number): { at: number[]; pace: Pace } {
  const at: number[] = [];
  let current = pace;
  for (let t = from; t <= to; t += 1) {
    while (msUntilSlot(current, rule, t) === 0) {
      current = afterCall(current, rule, t);
      at.push(t);
    }
  }
  return { at, pace: current };
}

describe('pacing a lane', () => {
  it('lets a burst through, then one call per interval', () => {
    const { at } = granted(freshPace(rule, 0), 0, 5_000);
    expect(at).toEqual([0, 0, 0, 1_000, 2_000, 3_000, 4_000, 5_000]);
  });

  it('says how long until the next slot', () => {
    let pace = freshPace(rule, 0);
    for (let i = 0; i < 3; i += 1) pace = afterCall(pace, rule, 0);
    expect(msUntilSlot(pace, rule, 0)).toBe(1_000);
    expect(msUntilSlot(pace, rule, 250)).toBe(750);
    expect(msUntilSlot(pace, rule, 1_000)).toBe(0);
  });

  it('refills to the burst after a quiet spell, never beyond it', () => {
    let pace = freshPace(rule, 0);
    for (let i = 0; i < 3; i += 1) pace = afterCall(pace, rule, 0);
    for (let i = 0; i < 3; i += 1) pace = afterCall(pace, rule, 60_000);
    expect(msUntilSlot(pace, rule, 60_000)).toBe(1_000);
  });

  it('pauses for exactly Retry-After after a 429, then lets one call through and paces the rest', () => {
    const paused = afterRateLimited(freshPace(rule, 0), 500, 30_000);
    expect(msUntilSlot(paused, rule, 500)).toBe(30_000);
    expect(msUntilSlot(paused, rule, 30_499)).toBe(1);
    expect(msUntilSlot(paused, rule, 30_500)).toBe(0);
    const { at } = granted(paused, 500, 33_000);
    expect(at).toEqual([30_500, 31_500, 32_500]);
  });

  it('never shortens a pause already running', () => {
    const long = afterRateLimited(freshPace(rule, 0), 0, 30_000);
    expect(afterRateLimited(long, 1_000, 2_000)).toEqual(long);
    expect(msUntilSlot(afterRateLimited(long, 1_000, 60_000), rule, 1_000)).toBe(60_000);
  });

  it('refills nothing while the clock reads earlier than the last call', () => {
    let pace = freshPace(rule, 10_000);
    for (let i = 0; i < 3; i += 1) pace = afterCall(pace, rule, 10_000);
    expect(msUntilSlot(pace, rule, 9_000)).toBe(2_000);
    expect(msUntilSlot(pace, rule, 11_000)).toBe(0);
  });

  it('is at rest only when full and not paused', () => {
    expect(isAtRest(freshPace(rule, 0), rule, 0)).toBe(true);
    const used = afterCall(freshPace(rule, 0), rule, 0);
    expect(isAtRest(used, rule, 0)).toBe(false);
    expect(isAtRest(used, rule, 1_000)).toBe(true);
    expect(isAtRest(afterRateLimited(freshPace(rule, 0), 0, 5_000), rule, 4_999)).toBe(false);
  });
});
