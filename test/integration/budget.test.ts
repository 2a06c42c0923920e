import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRequestBudget, type RequestBudget } from '../../src/tracking/budget.js';
import { openDatabase, type Db } from '../../src/store/open.js';

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
function budgetOnFile(max: number, windowMs = 60_000): RequestBudget {
  const db = openDatabase(join(dir, 'kyc.sqlite'));
  handles.push(db);
  return createRequestBudget({ max, windowMs, marginMs: 0, now: () => clock.now, db });
}

/** Most grants in any window [t, t + windowMs). */
function mostInAnyWindow(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (const [i, start] of sorted.entries()) {
    const inWindow = sorted.slice(i).filter((t) => t < start + windowMs).length;
    most = Math.max(most, inWindow);
  }
  return most;
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

const execFileAsync = promisify(execFile);
const BUDGET_JS = fileURLToPath(new URL('../../dist/src/tracking/budget.js', import.meta.url));
const OPEN_JS = fileURLToPath(new URL('../../dist/src/store/open.js', import.meta.url));

/** Takes from the budget as fast as it grants for 1.5 s, then prints the time each grant was taken at. */
const CHILD = `
const { setTimeout: sleep } = await import('node:timers/promises');
const { createRequestBudget } = await import(process.argv[1]);
const { openDatabase } = await import(process.argv[2]);
const budget = createRequestBudget({ max: 20, windowMs: 1000, marginMs: 0, db: openDatabase(process.argv[3]) });
const granted = [];
const end = Date.now() + 1500;
for (let at = Date.now(); at < end; at = Date.now()) {
  const wait = budget.tryTake(at, 'background');
  if (wait === 0) granted.push(at);
  else await sleep(Math.min(wait, 5));
}
process.stdout.write(JSON.stringify(granted));
`;

describe('request budget across processes', () => {
  it.skipIf(!existsSync(BUDGET_JS))('three processes on one file never exceed max per window together', async () => {
    const path = join(dir, 'kyc.sqlite');
    openDatabase(path).close();
    const runs = await Promise.all(
      [1, 2, 3].map(() => execFileAsync(process.execPath, ['--input-type=module', '-e', CHILD, BUDGET_JS, OPEN_JS, path])),
    );
    const granted = runs.flatMap((run) => JSON.parse(run.stdout) as number[]);
    expect(granted.length).toBeGreaterThan(20);
    expect(mostInAnyWindow(granted, 1_000)).toBeLessThanOrEqual(20);
  });
});
