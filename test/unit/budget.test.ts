import { describe, expect, it } from 'vitest';
import { createRequestBudget } from '../../src/jobs/budget.js';

describe('request budget', () => {
  it('never grants more than max in any window, and frees slots as they age out', () => {
    let now = 0;
    const budget = createRequestBudget({ max: 3, windowMs: 1_000, marginMs: 0, now: () => now });
    expect([budget.tryTake(), budget.tryTake(), budget.tryTake()]).toEqual([0, 0, 0]);
    expect(budget.tryTake()).toBe(1_000);
    now = 999;
    expect(budget.tryTake()).toBe(1);
    now = 1_000;
    expect(budget.tryTake()).toBe(0);
    expect(budget.used()).toBe(1);
  });

  it('stops granting while Cashfree asked us to wait', () => {
    let now = 0;
    const budget = createRequestBudget({ max: 10, now: () => now });
    budget.pauseUntil(5_000);
    expect(budget.msUntilFree()).toBe(5_000);
    now = 5_000;
    expect(budget.tryTake()).toBe(0);
  });

  it('waits for a slot, or gives up at the deadline', async () => {
    const budget = createRequestBudget({ max: 1, windowMs: 50, marginMs: 0 });
    expect(await budget.take(Date.now() + 1_000)).toBe(true);
    expect(await budget.take(Date.now() + 1_000)).toBe(true);
    expect(await budget.take(Date.now() + 1)).toBe(false);
  });
});
