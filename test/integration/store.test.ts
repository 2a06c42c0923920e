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

describe('poll scheduling in the store', () => {
  const MINUTE = 60_000;
  const T0 = Date.parse('2026-11-22T10:00:00Z');
  const stateOf = (verificationId: string, status: string, subStatus: string, extra: Partial<VkycState> = {}): VkycState => ({
    ...state(status, subStatus),
    verificationId,
    ...extra,
  });
  /** A verification tracked in one channel, first observed at `at`. */
  function tracked(store: ReturnType<typeof openStore>, id: string, at: number, status = 'RECEIVED', subStatus = 'LINK_GENERATED') {
    store.recordObservation({ state: stateOf(id, status, subStatus), nowMs: at, finalReason: undefined });
    store.startTracking({ verificationId: id, teamId: 'T', channelId: 'C1', trackedBy: 'U', nowMs: at });
  }

  it('keeps when a verification last changed, and schedules it from its state and the poll plan', () => {
    const store = openStore(join(dir, 'kyc.sqlite'));
    // A budget that binds (the threshold a busy board sets): a link waiting an hour waits the bound.
    store.setPollPlan({ ...store.pollPlan(), threshold: 0.1 });
    tracked(store, 'vk_idle', T0);
    store.recordObservation({ state: stateOf('vk_idle', 'RECEIVED', 'LINK_GENERATED'), nowMs: T0 + 60 * MINUTE, finalReason: undefined });
    expect(store.verification('vk_idle')).toMatchObject({ changed_at: T0, next_poll_at: T0 + 65 * MINUTE });
    store.recordObservation({ state: stateOf('vk_idle', 'PRE_VIDEO_CALL', 'USER_QUEUED'), nowMs: T0 + 61 * MINUTE, finalReason: undefined });
    const moved = store.verification('vk_idle');
    expect(moved?.changed_at).toBe(T0 + 61 * MINUTE);
    // Just moved into the queue: due again within seconds.
    expect((moved?.next_poll_at ?? 0) - (T0 + 61 * MINUTE)).toBeLessThan(10_000);
    // A fresh tracking waiting for its customer is not: a first observation is not a change.
    tracked(store, 'vk_fresh', T0 + 61 * MINUTE);
    store.recordObservation({ state: stateOf('vk_fresh', 'RECEIVED', 'LINK_GENERATED'), nowMs: T0 + 61 * MINUTE + 1, finalReason: undefined });
    expect((store.verification('vk_fresh')?.next_poll_at ?? 0) - (T0 + 61 * MINUTE)).toBeGreaterThan(20_000);
    // The poll plan the poller keeps in the store sets the pace: a higher threshold spaces polls out.
    store.setPollPlan({ ...store.pollPlan(), threshold: 0.5 });
    store.recordObservation({ state: stateOf('vk_idle', 'PRE_VIDEO_CALL', 'USER_QUEUED'), nowMs: T0 + 61 * MINUTE + 1, finalReason: undefined });
    expect((store.verification('vk_idle')?.next_poll_at ?? 0) - (T0 + 61 * MINUTE)).toBeGreaterThan(20_000);
    store.close();
  });

  it('claims urgent verifications first, then due ones least recently scheduled first, and nothing not yet due', () => {
    const store = openStore(join(dir, 'kyc.sqlite'));
    tracked(store, 'vk_old', T0 - 120 * MINUTE);
    store.recordObservation({ state: stateOf('vk_old', 'RECEIVED', 'LINK_GENERATED'), nowMs: T0, finalReason: undefined });
    tracked(store, 'vk_b', T0 + 2);
    tracked(store, 'vk_a', T0 + 1);
    expect(store.markUrgent('vk_old')).toBe(true);
    expect(store.markUrgent('vk_untracked')).toBe(false);
    expect(store.claimDue(T0 + 10, 10).map((r) => r.verification_id)).toEqual(['vk_old', 'vk_a', 'vk_b']);
    for (const id of ['vk_old', 'vk_a', 'vk_b']) store.releaseClaim(id);
    store.recordObservation({ state: stateOf('vk_old', 'RECEIVED', 'LINK_GENERATED'), nowMs: T0 + 20, finalReason: undefined });
    expect(store.verification('vk_old')?.urgent).toBe(0);
    expect(store.claimDue(T0 + 10, 10).map((r) => r.verification_id)).toEqual(['vk_a', 'vk_b']);
    store.close();
  });

  it('counts only failures about the verification towards its backoff, and clears urgency once polled', () => {
    const store = openStore(join(dir, 'kyc.sqlite'));
    tracked(store, 'vk_1', T0);
    store.markUrgent('vk_1');
    store.pollFailed('vk_1', { error: 'request_failed: down', nextPollAt: T0 + 5, countsAsAttempt: false });
    expect(store.verification('vk_1')).toMatchObject({ attempts: 0, urgent: 0, next_poll_at: T0 + 5, last_error: 'request_failed: down' });
    store.pollFailed('vk_1', { error: 'not_found: gone', nextPollAt: T0 + 15_000, countsAsAttempt: true });
    expect(store.verification('vk_1')).toMatchObject({ attempts: 1, next_poll_at: T0 + 15_000 });
    store.close();
  });

  it('finds due work through the verifications_due index', () => {
    const store = openStore(join(dir, 'kyc.sqlite'));
    const plans = [
      "SELECT * FROM verifications WHERE urgent = 1 AND next_poll_at IS NOT NULL AND in_flight = 0 ORDER BY next_poll_at LIMIT 4",
      'SELECT * FROM verifications WHERE urgent = 0 AND next_poll_at <= 5 AND in_flight = 0 ORDER BY next_poll_at LIMIT 4',
    ].map((sql) => JSON.stringify(store.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all()));
    for (const plan of plans) {
      expect(plan).toContain('verifications_due');
      expect(plan).not.toContain('TEMP B-TREE');
    }
    store.close();
  });
});

describe('known times go first', () => {
  it('claims a link due at its expiry before verifications that were due earlier', () => {
    const dir2 = mkdtempSync(join(tmpdir(), 'kyc-known-'));
    const store = openStore(join(dir2, 'kyc.sqlite'));
    try {
      const T = Date.parse('2026-12-01T09:00:00Z');
      const observe = (id: string, at: number, linkExpiry?: string) =>
        store.recordObservation({ state: { ...state('RECEIVED', 'LINK_GENERATED'), verificationId: id, linkExpiry }, nowMs: at, finalReason: undefined });
      for (const id of ['vk_a', 'vk_b', 'vk_expiring']) {
        observe(id, T);
        store.startTracking({ verificationId: id, teamId: 'T', channelId: 'C1', trackedBy: 'U', nowMs: T });
      }
      store.setPollPlan({ ...store.pollPlan(), threshold: 0.1 });
      observe('vk_a', T + 1);
      observe('vk_b', T + 2);
      observe('vk_expiring', T + 3, new Date(T + 10_000).toISOString());
      expect(store.verification('vk_expiring')).toMatchObject({ known_at: T + 11_000, next_poll_at: T + 11_000 });
      // Much later, all three are due; the expiry comes first, however late the others were.
      store.db.prepare("UPDATE verifications SET next_poll_at = ? WHERE verification_id IN ('vk_a', 'vk_b')").run(T + 5_000);
      expect(store.claimDue(T + 60_000, 1).map((r) => r.verification_id)).toEqual(['vk_expiring']);
      // Due earlier on its chance of news, behind the others: it waits its turn until the expiry, then goes first.
      store.releaseClaim('vk_expiring');
      store.db.prepare("UPDATE verifications SET next_poll_at = ? WHERE verification_id = 'vk_expiring'").run(T + 7_000);
      expect(store.claimDue(T + 9_000, 1).map((r) => r.verification_id)).toEqual(['vk_a']);
      expect(store.claimDue(T + 12_000, 1).map((r) => r.verification_id)).toEqual(['vk_expiring']);
    } finally {
      store.close();
      rmSync(dir2, { recursive: true, force: true });
    }
  });
});
