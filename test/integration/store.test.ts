import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../src/store/migrations.js';
import { openDatabase, StoreError } from '../../src/store/open.js';
import { openStore } from '../../src/store/store.js';
import type { VkycState } from '../../src/cashfree/schemas.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kyc-store-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const state = (status: string, subStatus: string): VkycState => ({
  verificationId: 'vk_1', referenceId: 1, userId: 'u', status, subStatus,
  linkExpiry: undefined, meetingSchedule: undefined, hasRecording: false,
});

describe('SQLite store', () => {
  it('creates its file and parent folders private to the owner, in WAL mode', () => {
    const path = join(dir, 'nested', 'deeper', 'kyc.sqlite');
    const store = openStore(path);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    store.close();
  });

  it('migrates once and refuses a database from a newer version', () => {
    const path = join(dir, 'kyc.sqlite');
    openDatabase(path).close();
    const again = openDatabase(path);
    expect(again.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    again.pragma('user_version = 99');
    again.close();
    expect(() => openDatabase(path)).toThrow(/newer version/);
  });

  it('stops with a readable error when the file cannot be opened', () => {
    const blocker = join(dir, 'file');
    writeFileSync(blocker, 'not a folder');
    expect(() => openDatabase(join(blocker, 'kyc.sqlite'))).toThrow(StoreError);
    const garbage = join(dir, 'garbage.sqlite');
    writeFileSync(garbage, 'this is not a database'.repeat(100));
    expect(() => openDatabase(garbage)).toThrow(/cannot (open|migrate) the database/);
  });

  it('records a change with one pending delivery per tracking channel, and nothing when nothing changed', () => {
    const store = openStore(join(dir, 'kyc.sqlite'));
    store.recordObservation({ state: state('RECEIVED', 'LINK_GENERATED'), nowMs: 1, finalReason: undefined });
    for (const channel of ['C1', 'C2']) {
      const claim = store.startTracking({ verificationId: 'vk_1', teamId: 'T', channelId: channel, trackedBy: 'U', nowMs: 2 });
      if (!claim.created) throw new Error('expected a new tracking');
      store.setParent(claim.id, `${channel}.ts`, undefined);
    }
    expect(store.recordObservation({ state: state('RECEIVED', 'LINK_GENERATED'), nowMs: 3, finalReason: undefined })).toBeUndefined();
    expect(store.pendingDeliveries()).toHaveLength(0);
    store.recordObservation({ state: state('PRE_VIDEO_CALL', 'USER_QUEUED'), nowMs: 4, finalReason: undefined });
    const pending = store.pendingDeliveries();
    expect(pending.map((p) => p.tracking.channel_id)).toEqual(['C1', 'C2']);
    expect(pending[0]?.change).toMatchObject({ previous_sub_status: 'LINK_GENERATED', sub_status: 'USER_QUEUED' });
    expect(store.history('vk_1').map((h) => h.sub_status)).toEqual(['LINK_GENERATED', 'USER_QUEUED']);
    store.close();
  });

  it('purges trackings that ended before the retention cutoff, with their history', () => {
    const store = openStore(join(dir, 'kyc.sqlite'));
    store.recordObservation({ state: state('RECEIVED', 'LINK_GENERATED'), nowMs: 1, finalReason: undefined });
    const claim = store.startTracking({ verificationId: 'vk_1', teamId: 'T', channelId: 'C1', trackedBy: 'U', nowMs: 2 });
    if (!claim.created) throw new Error('expected a new tracking');
    store.endTracking(claim.id, 'vk_1', 10, 'U', 'untracked');
    expect(store.purgeEndedBefore(5)).toMatchObject({ trackings: 0, verifications: 0 });
    expect(store.purgeEndedBefore(11)).toMatchObject({ trackings: 1, verifications: 1 });
    expect(store.history('vk_1')).toHaveLength(0);
    store.close();
  });
});
