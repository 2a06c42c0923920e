import { DEFAULT_OWNER_SETTINGS, isOwnerDmKind, type OwnerDmKind, type OwnerSettings } from '../vkyc/owner-notices.js';

export type { OwnerSettings } from '../vkyc/owner-notices.js';
import type { ChangeRow } from '../vkyc/types.js';
import type { Db } from './open.js';

/** A DM recorded for an owner and not sent yet. */
export interface NewOwnerDm {
  verificationId: string;
  userId: string;
  kind: OwnerDmKind;
  eventKey: string;
  status: string;
  subStatus: string;
  nowMs: number;
}

export interface OwnerDmRow {
  id: number;
  verification_id: string;
  user_id: string;
  kind: OwnerDmKind;
  event_key: string;
  status: string;
  sub_status: string;
  created_at: number;
  attempts: number;
}

/** A change the owners' scan has not looked at yet, with its owner and whoever caused it. */
export interface ScannedChange extends ChangeRow {
  owner: string | null;
  caused_by: string | null;
}

/** A verification still followed, with its owner, for the DMs that a moment calls for. */
export interface OwnedState {
  verification_id: string;
  user_id: string;
  status: string;
  sub_status: string;
  link_expiry: string | null;
  meeting_schedule: string | null;
}


/** Owners of verifications, their DMs (once per event) and their App Home settings. */
export function createOwnerStore(db: Db) {
  const q = {
    claimTracked: db.prepare(
      `INSERT INTO owners (verification_id, user_id, how, since) SELECT ?, ?, 'tracked', ?
       WHERE EXISTS (SELECT 1 FROM verifications WHERE verification_id = ?) ON CONFLICT (verification_id) DO NOTHING`,
    ),
    claimStarted: db.prepare(
      `INSERT INTO owners (verification_id, user_id, how, since) SELECT ?, ?, 'started', ?
       WHERE EXISTS (SELECT 1 FROM verifications WHERE verification_id = ?)
       ON CONFLICT (verification_id) DO UPDATE SET user_id = excluded.user_id, how = 'started', since = excluded.since`,
    ),
    owner: db.prepare<[string], { user_id: string }>('SELECT user_id FROM owners WHERE verification_id = ?'),
    cause: db.prepare<[number], { user_id: string }>('SELECT user_id FROM change_causes WHERE change_id = ?'),
    scanFrom: db.prepare<[], { change_id: number }>('SELECT change_id FROM owner_scan WHERE id = 1'),
    scanTo: db.prepare('UPDATE owner_scan SET change_id = ? WHERE id = 1'),
    changesAfter: db.prepare<[number, number], ScannedChange>(
      `SELECT c.*, o.user_id AS owner, cc.user_id AS caused_by FROM changes c
       LEFT JOIN owners o ON o.verification_id = c.verification_id LEFT JOIN change_causes cc ON cc.change_id = c.id
       WHERE c.id > ? ORDER BY c.id LIMIT ?`,
    ),
    owned: db.prepare<[], OwnedState>(
      `SELECT o.verification_id, o.user_id, v.status, v.sub_status, v.link_expiry, v.meeting_schedule
       FROM owners o JOIN verifications v USING (verification_id) WHERE v.next_poll_at IS NOT NULL`,
    ),
    record: db.prepare(
      `INSERT INTO owner_dms (verification_id, user_id, kind, event_key, status, sub_status, created_at, next_attempt_at)
       VALUES (@verificationId, @userId, @kind, @eventKey, @status, @subStatus, @nowMs, @nowMs)
       ON CONFLICT (verification_id, kind, event_key) DO NOTHING`,
    ),
    due: db.prepare<[number, number], OwnerDmRow>(
      `SELECT id, verification_id, user_id, kind, event_key, status, sub_status, created_at, attempts FROM owner_dms
       WHERE done_at IS NULL AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?`,
    ),
    claim: db.prepare('UPDATE owner_dms SET done_at = ? WHERE id = ? AND done_at IS NULL'),
    finish: db.prepare('UPDATE owner_dms SET outcome = ?, last_error = ? WHERE id = ?'),
    retry: db.prepare('UPDATE owner_dms SET done_at = NULL, attempts = attempts + ?, last_error = ?, next_attempt_at = ? WHERE id = ?'),
    thread: db.prepare<[string, string], { permalink: string | null; channel_id: string }>(
      `SELECT permalink, channel_id FROM trackings WHERE verification_id = ? AND parent_ts IS NOT NULL
       ORDER BY ended_at IS NOT NULL, tracked_by = ? DESC, tracked_at LIMIT 1`,
    ),
    settings: db.prepare<[string], { muted_kinds: string; quiet_from: number | null; quiet_until: number | null }>(
      'SELECT muted_kinds, quiet_from, quiet_until FROM owner_settings WHERE user_id = ?',
    ),
    saveSettings: db.prepare(
      `INSERT INTO owner_settings (user_id, muted_kinds, quiet_from, quiet_until, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (user_id) DO UPDATE SET muted_kinds = excluded.muted_kinds, quiet_from = excluded.quiet_from,
         quiet_until = excluded.quiet_until, updated_at = excluded.updated_at`,
    ),
  };

  /** Reads the next batch of changes for the scan and moves past them, in one transaction with what `take` records. */
  const scanChanges = db.transaction((limit: number, take: (changes: ScannedChange[]) => void): number => {
    const from = q.scanFrom.get()?.change_id ?? 0;
    const changes = q.changesAfter.all(from, limit);
    take(changes);
    const last = changes.at(-1);
    if (last !== undefined) q.scanTo.run(last.id);
    return changes.length;
  });

  return {
    /** The first agent to track a verification owns it, unless someone started it. */
    claimTracked: (verificationId: string, userId: string, nowMs: number) => void q.claimTracked.run(verificationId, userId, nowMs, verificationId),
    /** Whoever started a verification with /kyc vkyc owns it. */
    claimStarted: (verificationId: string, userId: string, nowMs: number) => void q.claimStarted.run(verificationId, userId, nowMs, verificationId),
    ownerOf: (verificationId: string): string | undefined => q.owner.get(verificationId)?.user_id,
    /** The agent whose own command or click revealed this change, if one did. */
    causeOf: (changeId: number): string | undefined => q.cause.get(changeId)?.user_id,
    scanChanges,
    ownedStates: () => q.owned.all(),
    /** Records a DM before anything is sent; false when this event was recorded already. */
    recordDm: (dm: NewOwnerDm) => q.record.run(dm).changes > 0,
    dueDms: (nowMs: number, limit: number) => q.due.all(nowMs, limit),
    /** Marks a DM done before it is posted (a crash then never repeats it); false when it was already. */
    claimDm: (id: number, nowMs: number) => q.claim.run(nowMs, id).changes > 0,
    finishDm: (id: number, outcome: 'sent' | 'muted' | 'stale' | 'undeliverable', error?: string) => void q.finish.run(outcome, error?.slice(0, 200) ?? null, id),
    /** Not now: quiet hours (no attempt counted) or a failure (counted), until `atMs`. */
    deferDm: (id: number, atMs: number, failure?: string) => void q.retry.run(failure === undefined ? 0 : 1, failure?.slice(0, 200) ?? null, atMs, id),
    /** The thread a DM links to: the owner's own tracking first, an active one before an ended one. */
    threadFor: (verificationId: string, ownerId: string) => q.thread.get(verificationId, ownerId),
    settingsOf: (userId: string): OwnerSettings => {
      const row = q.settings.get(userId);
      if (row === undefined) return DEFAULT_OWNER_SETTINGS;
      return { mutedKinds: row.muted_kinds.split(',').filter(isOwnerDmKind), quietFrom: row.quiet_from, quietUntil: row.quiet_until };
    },
    saveSettings: (userId: string, settings: OwnerSettings, nowMs: number) =>
      void q.saveSettings.run(userId, settings.mutedKinds.join(','), settings.quietFrom, settings.quietUntil, nowMs),
  };
}

export type OwnerStore = ReturnType<typeof createOwnerStore>;
