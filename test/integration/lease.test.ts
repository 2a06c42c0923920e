import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLease } from '../../src/jobs/lease.js';
import { openDatabase, type Db } from '../../src/store/open.js';

/** Two processes' views of one database file, each with its own connection, on one fake clock. */
const dirs: string[] = [];
const dbs: Db[] = [];
afterEach(() => {
  for (const db of dbs.splice(0)) db.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function twoProcesses() {
  const dir = mkdtempSync(join(tmpdir(), 'kyc-lease-'));
  dirs.push(dir);
  const path = join(dir, 'kyc.sqlite');
  let clock = 1_000_000;
  const now = () => clock;
  const open = (holder: string) => {
    const db = openDatabase(path);
    dbs.push(db);
    return createLease({ db, name: 'poller', holder, ttlMs: 6_000, now });
  };
  return { old: open('old'), next: open('new'), advance: (ms: number) => (clock += ms) };
}

describe('the poll lease', () => {
  it('is held by one process at a time and renewed by its holder', () => {
    const { old, next, advance } = twoProcesses();
    expect(old.renew()).toBe(true);
    expect(next.renew()).toBe(false);
    for (let beat = 0; beat < 10; beat += 1) {
      advance(2_000);
      expect(old.renew()).toBe(true);
      expect(next.renew()).toBe(false);
      expect(old.holds()).toBe(true);
      expect(next.holds()).toBe(false);
    }
  });

  it('passes to the other process once the holder stops renewing, and the old holder cannot take it back', () => {
    const { old, next, advance } = twoProcesses();
    old.renew();
    advance(4_000);
    expect(next.renew()).toBe(false);
    // The old holder already stops acting as holder before its lease can expire for the others.
    advance(1_500);
    expect(old.holds()).toBe(false);
    advance(1_000);
    expect(next.renew()).toBe(true);
    expect(old.renew()).toBe(false);
    expect(old.holds()).toBe(false);
  });

  it('is taken at once after the holder releases it on shutdown', () => {
    const { old, next } = twoProcesses();
    old.renew();
    old.release();
    expect(old.holds()).toBe(false);
    expect(next.renew()).toBe(true);
  });
});
