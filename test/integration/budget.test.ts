import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRequestBudget, type RequestBudget } from '../../src/tracking/budget.js';
import { openDatabase, type Db } from '../../src/store/open.js';
import { mostInAnyWindow } from '../helpers/windows.js';

/** The request budget on a real SQLite file, opened as separate processes would open it. */
let dir: string;
let handles: Db[];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kyc-budget-'));
  handles = [];
});
afterEach(() => {
  for (const db of handles) db.close();
  rmSync(dir, { recursive: true, force: true });
});

const clock = { now: 0 };
function budgetOnFile(max: number, windowMs = 60_000, burst?: number): RequestBudget {
  const db = openDatabase(join(dir, 'kyc.sqlite'));
  handles.push(db);
  return createRequestBudget({ max, windowMs, marginMs: 0, now: () => clock.now, db, ...(burst === undefined ? {} : { burst }) });
}

describe('request budget shared through SQLite', () => {
  beforeEach(() => {
    clock.now = 1_000_000;
  });

  it('two instances on one file never exceed max per window together', () => {
    const a = budgetOnFile(30, 10_000);
    const b = budgetOnFile(30, 10_000);
    const granted: number[] = [];
    const start = clock.now;
    for (let t = start; t < start + 60_000; t += 37) {
      clock.now = t;
      // Both ask at every step, interactive and background mixed, as a command and the poller would.
      if (a.tryTake(t, 'background') === 0) granted.push(t);
      if (b.tryTake(t, t % 2 === 0 ? 'interactive' : 'background') === 0) granted.push(t);
    }
    expect(mostInAnyWindow(granted, 10_000)).toBeLessThanOrEqual(30);
    // Together they still get about the whole allowance: 6 windows of 30.
    expect(granted.length).toBeGreaterThanOrEqual(170);
    expect(granted.length).toBeLessThanOrEqual(180);
  });

  it('spaces requests evenly across instances once the burst is spent', () => {
    const a = budgetOnFile(120);
    const b = budgetOnFile(120);
    const granted: number[] = [];
    for (let step = 0; step < 40_000; step += 1) {
      clock.now = 1_000_000 + step;
      const budget = step % 2 === 0 ? a : b;
      if (budget.tryTake(clock.now, 'interactive') === 0) granted.push(clock.now);
    }
    // The default burst at 120 a minute is 5 requests; after it, one request every 60 s / 120.
    const paced = granted.slice(5);
    const gaps = paced.slice(1).map((t, i) => t - (paced[i] ?? 0));
    expect(gaps.length).toBeGreaterThan(70);
    expect(new Set(gaps)).toEqual(new Set([500]));
  });

  it('a restarted instance inherits the tokens and the window of the one before', () => {
    const first = budgetOnFile(60);
    expect([0, 0, 0].map(() => first.tryTake())).toEqual([0, 0, 0]);
    handles.pop()?.close();
    const second = budgetOnFile(60);
    expect(second.used()).toBe(3);
    expect(second.tryTake()).toBe(1_000);
  });

  it('a pause asked by one instance holds the others', () => {
    const a = budgetOnFile(60);
    const b = budgetOnFile(60);
    a.pauseUntil(clock.now + 5_000);
    expect(b.tryTake()).toBe(5_000);
    expect(b.msUntilFree(undefined, 'background')).toBe(5_000);
    clock.now += 5_000;
    expect(b.tryTake()).toBe(0);
  });
});

describe('request budget across clocks that disagree', () => {
  it('a process whose clock reads later keeps what an earlier one still counts', () => {
    // Three processes on one file; each reads its clock before it takes the write lock, so their times interleave.
    const [early, late, other] = [budgetOnFile(2, 1_000, 5), budgetOnFile(2, 1_000, 5), budgetOnFile(2, 1_000, 5)];
    expect(other?.tryTake(500)).toBe(0);
    expect(other?.tryTake(1_100)).toBe(0);
    // The later clock only asks; the earlier one then takes: 500 and 1,100 are both within its window.
    late?.msUntilFree(1_600);
    expect(early?.tryTake(1_450)).toBeGreaterThan(0);
  });
});
