import { describe, expect, it } from 'vitest';
import { changeChance, simulateIdeal, type IdealSubject } from '../../bench/ideal-scheduler.js';

const uniform = (fromMs: number, toMs: number) => ({ kind: 'uniform' as const, fromMs, toMs });
const final = { kind: 'final' as const };

describe('the ideal online scheduler', () => {
  it('polls what most likely changed, right after a known expiry, and never what cannot have changed', () => {
    const subjects: IdealSubject[] = [
      // A: opens surely within 2 s, and does at 1.5 s.
      { initial: { pMove: 1, originMs: 0, dwell: uniform(0, 2_000) }, lastPolledAtMs: 0, expiresAtMs: undefined, states: [{ atMs: 1_500, knowledge: final }] },
      // B: opens within 4 s half the time; this one never does.
      { initial: { pMove: 0.5, originMs: 0, dwell: uniform(0, 4_000) }, lastPolledAtMs: 0, expiresAtMs: undefined, states: [] },
      // C: never opens; its link expires at 2.5 s.
      { initial: { pMove: 0, originMs: 0, dwell: uniform(0, 1_000) }, lastPolledAtMs: 0, expiresAtMs: 2_500, states: [] },
    ];
    // Slots at 0, 1, 2, 3, 4 s. At 0 nothing can have changed: no poll. At 1 s A (0.5) beats B (0.125).
    // At 2 s A is certain (0.5 of the 0.5 left) and shows its change of 1.5 s. At 3 s C's expiry
    // has passed: polled before B (0.375). At 4 s B (0.5).
    const result = simulateIdeal(subjects, { slotMs: 1_000, latencyMs: 0, endMs: 5_000 });
    expect(result).toEqual({ seenAtMs: [[2_000], [], []], expirySeenAtMs: [undefined, undefined, 3_000], polls: 4 });
  });

  it('waits for a booked call, polls right after its time, then as the join spread says', () => {
    const subject: IdealSubject = {
      initial: { pMove: 1, originMs: 0, dwell: uniform(0, 1_000) },
      lastPolledAtMs: 0,
      expiresAtMs: undefined,
      states: [
        { atMs: 500, knowledge: { kind: 'meeting', meetingAtMs: 3_000, join: uniform(0, 2_000) } },
        { atMs: 3_600, knowledge: final },
      ],
    };
    // 1 s: sees the booking. 2 s: nothing can happen before the call. 3 s: right after the booked time
    // (still waiting). 4 s: joined with chance 0.5, and has.
    const result = simulateIdeal([subject], { slotMs: 1_000, latencyMs: 0, endMs: 6_000 });
    expect(result).toEqual({ seenAtMs: [[1_000, 4_000]], expirySeenAtMs: [undefined], polls: 3 });
  });

  it('reads the state one request latency after its slot', () => {
    const subject: IdealSubject = {
      initial: { pMove: 1, originMs: 0, dwell: uniform(0, 1_000) },
      lastPolledAtMs: 0,
      expiresAtMs: undefined,
      states: [{ atMs: 1_020, knowledge: final }],
    };
    const result = simulateIdeal([subject], { slotMs: 1_000, latencyMs: 50, endMs: 1_500 });
    // Slot 0 reads at 50 ms (chance 0.05: polled, nothing yet); slot 1 reads at 1,050 ms.
    expect(result.seenAtMs).toEqual([[1_050]]);
  });

  it('computes the chance of a change given none at the last poll', () => {
    const belief = { pMove: 0.5, originMs: 0, dwell: uniform(0, 4_000) };
    expect(changeChance(belief, 0, 2_000)).toBeCloseTo(0.25);
    // Not changed by 2 s: of the 0.75 left, 0.25 changes by 4 s.
    expect(changeChance(belief, 2_000, 4_000)).toBeCloseTo(1 / 3);
    expect(changeChance({ pMove: 1, originMs: 0, dwell: uniform(0, 1_000) }, 1_000, 2_000)).toBe(1);
  });
});
