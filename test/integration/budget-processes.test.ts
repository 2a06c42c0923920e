import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/open.js';
import { mostInAnyWindow } from '../helpers/windows.js';

/** The request budget on one SQLite file, taken from by separate processes at once. */
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kyc-budget-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
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
