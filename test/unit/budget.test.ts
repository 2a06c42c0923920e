import { describe, expect, it } from 'vitest';
import { createRequestBudget, defaultBurst } from '../../src/tracking/budget.js';

/** A budget on a fake clock, in a private in-memory database. */
function fakeClockBudget(options: { max: number; burst?: number; windowMs?: number; marginMs?: number }) {
  const clock = { now: 0 };
  const budget = createRequestBudget({ windowMs: 60_000, marginMs: 0, ...options, now: () => clock.now });
  return { clock, budget };
}

describe('request budget', () => {
  it('lets a small burst through, then spaces requests evenly at max per window', () => {
    const { clock, budget } = fakeClockBudget({ max: 60, burst: 3 });
    expect([budget.tryTake(), budget.tryTake(), budget.tryTake()]).toEqual([0, 0, 0]);
    expect(budget.tryTake()).toBe(1_000);
    const granted: number[] = [];
    for (let t = 1; t <= 10_000; t += 1) {
      clock.now = t;
      if (budget.tryTake() === 0) granted.push(t);
    }
    expect(granted).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((s) => s * 1_000));
  });

  it('never grants more than max in any window, even when the bucket has tokens', () => {
    const { clock, budget } = fakeClockBudget({ max: 3, burst: 3, windowMs: 1_000 });
    expect([budget.tryTake(), budget.tryTake(), budget.tryTake()]).toEqual([0, 0, 0]);
    clock.now = 400;
    // The bucket has refilled one token by now, but three requests are still in the window.
    expect(budget.tryTake()).toBe(600);
    expect(budget.used()).toBe(3);
    clock.now = 1_000;
    expect(budget.tryTake()).toBe(0);
    expect(budget.used()).toBe(1);
  });

  it('keeps one token for agents when background polls take', () => {
    const { clock, budget } = fakeClockBudget({ max: 60, burst: 3 });
    expect(budget.tryTake(undefined, 'background')).toBe(0);
    expect(budget.tryTake(undefined, 'background')).toBe(0);
    expect(budget.tryTake(undefined, 'background')).toBe(1_000);
    expect(budget.tryTake(undefined, 'interactive')).toBe(0);
    // Saturated, background polls still go at max per window: one each time a token refills past the reserve.
    const granted: number[] = [];
    for (let t = 1; t <= 5_000; t += 1) {
      clock.now = t;
      if (budget.tryTake(undefined, 'background') === 0) granted.push(t);
    }
    expect(granted).toEqual([2_000, 3_000, 4_000, 5_000]);
  });

  it('uses every token when the burst is 1: there is nothing to reserve', () => {
    const { budget } = fakeClockBudget({ max: 12, windowMs: 6_000 });
    expect(budget.tryTake(undefined, 'background')).toBe(0);
    expect(budget.tryTake(undefined, 'background')).toBe(500);
  });

  it('stops granting while Cashfree asked us to wait', () => {
    const { clock, budget } = fakeClockBudget({ max: 10 });
    budget.pauseUntil(5_000);
    expect(budget.msUntilFree()).toBe(5_000);
    expect(budget.tryTake()).toBe(5_000);
    clock.now = 5_000;
    expect(budget.tryTake()).toBe(0);
  });

  it('tells how long until a request is free without taking it', () => {
    const { budget } = fakeClockBudget({ max: 60, burst: 1 });
    expect(budget.msUntilFree()).toBe(0);
    expect(budget.msUntilFree()).toBe(0);
    expect(budget.tryTake()).toBe(0);
    expect(budget.msUntilFree()).toBe(1_000);
    expect(budget.used()).toBe(1);
    expect(budget.limit).toBe(60);
  });

  it('waits for a request, or gives up at the deadline', async () => {
    const budget = createRequestBudget({ max: 1, windowMs: 50, marginMs: 0 });
    expect(await budget.take(Date.now() + 1_000)).toBe(true);
    expect(await budget.take(Date.now() + 1_000)).toBe(true);
    expect(await budget.take(Date.now() + 1)).toBe(false);
    const aborted = AbortSignal.abort();
    expect(await budget.take(Date.now() + 1_000, aborted)).toBe(false);
  });

  it('bursts about three seconds of requests, between 1 and 5', () => {
    expect([6, 12, 60, 90, 100, 600, 1_000_000].map(defaultBurst)).toEqual([1, 1, 3, 5, 5, 5, 5]);
  });
});
