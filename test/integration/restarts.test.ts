import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RESTART_STALE_MS } from '../../src/store/restarts.js';
import { openStore, type Store } from '../../src/store/store.js';

let dir: string;
let a: Store;
let b: Store;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kyc-restarts-'));
  // Two processes on one database: the unique index, not either one's memory, allows one restart.
  a = openStore(join(dir, 'kyc.sqlite'));
  b = openStore(join(dir, 'kyc.sqlite'));
});
afterEach(() => {
  a.close();
  b.close();
  rmSync(dir, { recursive: true, force: true });
});

const claim = (store: Store, to: string, at = 1_000) => store.claimRestart({ from: 'vk_old', to, channel: 'C0KYC', thread: '1.000100', by: 'U0AGENT', at });

describe('restarts', () => {
  it('holds one running or done restart per verification across processes', () => {
    const first = claim(a, 'vk_new_1');
    expect(first.claimed).toBe(true);
    const second = claim(b, 'vk_new_2');
    expect(second).toMatchObject({ claimed: false, existing: { to_verification_id: 'vk_new_1', outcome: 'running' } });
    if (first.claimed) a.finishRestart(first.id, 'started', 'https://sim/p1', 2_000);
    expect(claim(b, 'vk_new_3')).toMatchObject({ claimed: false, existing: { outcome: 'started', to_permalink: 'https://sim/p1' } });
    expect(() =>
      b.db.prepare("INSERT INTO restarts (from_verification_id, to_verification_id, channel_id, thread_ts, started_by, started_at) VALUES ('vk_old', 'vk_x', 'C', '1.1', 'U', 1)").run(),
    ).toThrow(/UNIQUE/);
  });

  it('leaves room for another try after a failure, or after a claim left running by a dead process', () => {
    const first = claim(a, 'vk_new_1');
    if (first.claimed) a.finishRestart(first.id, 'failed', undefined, 2_000);
    expect(claim(b, 'vk_new_2').claimed).toBe(true);
    expect(claim(a, 'vk_new_3', 1_000 + RESTART_STALE_MS - 1).claimed).toBe(false);
    expect(claim(a, 'vk_new_4', 1_000 + RESTART_STALE_MS + 1).claimed).toBe(true);
    expect(a.restartOf('vk_old')?.to_verification_id).toBe('vk_new_4');
  });
});
