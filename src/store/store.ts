import type { ChangeRow, HistoryEntry, TrackingRow, VerificationRow, VkycState } from '../vkyc/types.js';

export type { ChangeRow, HistoryEntry, RestartRow, TrackingRow, VerificationRow } from '../vkyc/types.js';
import { hasChanged, type FinalReason } from '../vkyc/lifecycle.js';
import { DEFAULT_POLL_PLAN, planNextPoll, type PollPlan } from '../vkyc/schedule.js';
import { createDwellQueries } from './dwell.js';
import { stateFromColumns } from './state.js';
import { openDatabase, type Db } from './open.js';
import { createBulkStore } from './bulk.js';
import { createPageQueries } from './pages.js';
import { createChannelStore } from './channels.js';
import { createPhoneQueries } from './phones.js';
import { createPushStore } from './push.js';
import { createOwnerStore } from './owners.js';
import { createReportQueries } from './reports.js';
import { createSlaQueries } from './sla.js';
import { createRestartQueries } from './restarts.js';
import { createTurnaroundQueries } from './turnaround.js';
import { createWaitStore, type NewWait } from './waits.js';




/** A change waiting to be posted in one tracking's thread. */
export interface PendingDelivery {
  tracking: TrackingRow;
  change: ChangeRow;
  attempts: number;
  next_attempt_at: number;
  /** Set while a post is under way or ended in doubt (crash, timeout): it may already be in the thread. */
  sending_since: number | null;
}


export type { FinalReason };

export interface Observation {
  state: VkycState;
  nowMs: number;
  /** Set when tracking ends with this observation. */
  finalReason: FinalReason | undefined;
  /** The agent whose own command or click asked Cashfree; they are not told of the change it reveals. */
  causedBy?: string | undefined;
}

export interface AuditEntry {
  actor: string;
  teamId?: string | undefined;
  channelId?: string | undefined;
  action:
    | 'link_generated'
    | 'tracking_started'
    | 'tracking_stopped'
    | 'access_refused'
    | 'subscribed'
    | 'unsubscribed'
    | 'vkyc_started'
    | 'vkyc_restarted'
    | 'csv_sent'
    | 'settings_changed'
    | 'workflow_wait_started'
    | 'phone_lookup'
    | 'bulk_uploaded'
    | 'bulk_confirmed';
  subject?: string | undefined;
  detail?: string | undefined;
}

export type Store = ReturnType<typeof createStore>;

/** Who claims verifications for polling, and when. */
export interface Claim {
  by: string;
  atMs: number;
  /** A claim older than this is taken back; longer than any poll can take (the request timeout and a tick). */
  staleAfterMs?: number;
}

export const DEFAULT_CLAIM_STALE_MS = 60_000;

const PENDING_SELECT = `
  SELECT d.attempts AS d_attempts, d.next_attempt_at AS d_next_attempt_at, d.sending_since AS d_sending_since, t.*, c.id AS c_id, c.status AS c_status,
    c.sub_status AS c_sub_status, c.previous_status AS c_previous_status, c.previous_sub_status AS c_previous_sub_status,
    c.meeting_schedule AS c_meeting_schedule, c.has_recording AS c_has_recording, c.final_reason AS c_final_reason,
    c.observed_at AS c_observed_at
  FROM deliveries d JOIN trackings t ON t.id = d.tracking_id JOIN changes c ON c.id = d.change_id
  WHERE d.posted_at IS NULL AND t.ended_at IS NULL AND t.parent_ts IS NOT NULL`;

/** A stored verification as the domain sees it. */
export function verificationFromRow(row: VerificationRow): VkycState {
  return stateFromColumns(row);
}

export function openStore(path: string): Store {
  return createStore(openDatabase(path));
}

export function createStore(db: Db) {
  /** How the next poll is planned: the poller refreshes it from the history (src/jobs/planner.ts). */
  let plan: PollPlan = DEFAULT_POLL_PLAN;
  const q = {
    verification: db.prepare<[string], VerificationRow>('SELECT * FROM verifications WHERE verification_id = ?'),
    verificationByReference: db.prepare<[number], VerificationRow>('SELECT * FROM verifications WHERE reference_id = ?'),
    insertVerification: db.prepare(
      `INSERT INTO verifications (verification_id, reference_id, user_id, status, sub_status, link_expiry,
         meeting_schedule, has_recording, observed_at, next_poll_at, changed_at)
       VALUES (@verification_id, @reference_id, @user_id, @status, @sub_status, @link_expiry,
         @meeting_schedule, @has_recording, @observed_at, @next_poll_at, @changed_at)`,
    ),
    updateVerification: db.prepare(
      `UPDATE verifications SET reference_id = coalesce(@reference_id, reference_id), user_id = coalesce(@user_id, user_id),
         status = @status, sub_status = @sub_status, link_expiry = @link_expiry, meeting_schedule = @meeting_schedule,
         has_recording = @has_recording, observed_at = @observed_at, next_poll_at = @next_poll_at, known_at = @known_at,
         changed_at = @changed_at, in_flight = 0, attempts = 0, last_error = NULL, urgent = 0
       WHERE verification_id = @verification_id`,
    ),
    insertChange: db.prepare(
      `INSERT INTO changes (verification_id, status, sub_status, previous_status, previous_sub_status,
         meeting_schedule, has_recording, final_reason, observed_at, seen_before_at)
       VALUES (@verification_id, @status, @sub_status, @previous_status, @previous_sub_status,
         @meeting_schedule, @has_recording, @final_reason, @observed_at, @seen_before_at)`,
    ),
    insertCause: db.prepare('INSERT INTO change_causes (change_id, user_id) VALUES (?, ?)'),
    fanOutChange: db.prepare(
      `INSERT INTO deliveries (tracking_id, change_id)
       SELECT id, ? FROM trackings WHERE verification_id = ? AND ended_at IS NULL`,
    ),
    markParentsStale: db.prepare('UPDATE trackings SET parent_stale = 1 WHERE verification_id = ? AND ended_at IS NULL'),
    // Two range scans of verifications_due (urgent DESC, next_poll_at): one query with OR would scan every row.
    // A claim older than staleBefore (or from before claims had a time) is free again.
    claimUrgent: db.prepare<{ staleBefore: number; limit: number }, VerificationRow>(
      `SELECT * FROM verifications WHERE urgent = 1 AND next_poll_at IS NOT NULL
         AND (in_flight = 0 OR coalesce(claimed_at, 0) < @staleBefore)
       ORDER BY next_poll_at LIMIT @limit`,
    ),
    claimDue: db.prepare<{ dueBy: number; staleBefore: number; limit: number }, VerificationRow>(
      `SELECT * FROM verifications WHERE urgent = 0 AND next_poll_at <= @dueBy
         AND (in_flight = 0 OR coalesce(claimed_at, 0) < @staleBefore)
       ORDER BY next_poll_at LIMIT @limit`,
    ),
    claimKnown: db.prepare<{ dueBy: number; staleBefore: number; limit: number }, VerificationRow>(
      // The partial index holds only the few rows with a known time; left to itself, SQLite walks every due row.
      `SELECT * FROM verifications INDEXED BY verifications_known WHERE known_at <= @dueBy AND next_poll_at <= @dueBy AND urgent = 0
         AND (in_flight = 0 OR coalesce(claimed_at, 0) < @staleBefore)
       ORDER BY known_at LIMIT @limit`,
    ),
    // Work ahead of time: the next ones due that nobody saw or claimed since `since` (once each per tick),
    // never one backing off after an error about it, nor one whose news webhooks carry.
    claimAhead: db.prepare<{ dueBy: number; since: number; pushedSince: number; limit: number }, VerificationRow>(
      `SELECT * FROM verifications WHERE urgent = 0 AND next_poll_at > @dueBy
         AND observed_at < @since AND coalesce(claimed_at, 0) < @since AND in_flight = 0 AND attempts = 0
         AND (pushed_at IS NULL OR pushed_at < @pushedSince)
       ORDER BY next_poll_at LIMIT @limit`,
    ),
    markUrgent: db.prepare('UPDATE verifications SET urgent = 1 WHERE verification_id = ? AND next_poll_at IS NOT NULL'),
    setInFlight: db.prepare('UPDATE verifications SET in_flight = 1, claimed_by = ?, claimed_at = ? WHERE verification_id = ?'),
    pollFailed: db.prepare(
      `UPDATE verifications SET in_flight = 0, urgent = 0, attempts = attempts + ?, last_error = ?,
         next_poll_at = CASE WHEN next_poll_at IS NULL THEN NULL ELSE ? END
       WHERE verification_id = ?`,
    ),
    releaseAll: db.prepare('UPDATE verifications SET in_flight = 0 WHERE in_flight = 1'),
    releaseClaim: db.prepare('UPDATE verifications SET in_flight = 0 WHERE verification_id = ?'),
    trackingById: db.prepare<[number], TrackingRow>('SELECT * FROM trackings WHERE id = ?'),
    activeTracking: db.prepare<[string, string], TrackingRow>(
      'SELECT * FROM trackings WHERE verification_id = ? AND channel_id = ? AND ended_at IS NULL',
    ),
    latestTracking: db.prepare<[string, string], TrackingRow>(
      'SELECT * FROM trackings WHERE verification_id = ? AND channel_id = ? AND parent_ts IS NOT NULL ORDER BY id DESC LIMIT 1',
    ),
    insertTracking: db.prepare(
      `INSERT INTO trackings (verification_id, team_id, channel_id, thread_ts, tracked_by, tracked_at, opened_by_rule)
       VALUES (@verification_id, @team_id, @channel_id, @thread_ts, @tracked_by, @tracked_at, @opened_by_rule)`,
    ),
    deleteTracking: db.prepare('DELETE FROM trackings WHERE id = ?'),
    setParent: db.prepare('UPDATE trackings SET parent_ts = ?, permalink = ? WHERE id = ?'),
    resumePolling: db.prepare(
      'UPDATE verifications SET next_poll_at = coalesce(next_poll_at, ?) WHERE verification_id = ?',
    ),
    endTracking: db.prepare(
      'UPDATE trackings SET ended_at = ?, ended_by = ?, ended_reason = ? WHERE id = ? AND ended_at IS NULL',
    ),
    // A workflow step waiting for the outcome keeps a verification polled as a tracking does.
    stopPollingIfUntracked: db.prepare(
      `UPDATE verifications SET next_poll_at = NULL WHERE verification_id = @id
         AND NOT EXISTS (SELECT 1 FROM trackings WHERE verification_id = @id AND ended_at IS NULL)
         AND NOT EXISTS (SELECT 1 FROM workflow_waits WHERE verification_id = @id AND settled_at IS NULL)`,
    ),
    pending: db.prepare<[], PendingJoin>(`${PENDING_SELECT} ORDER BY d.tracking_id, d.change_id`),
    pendingForVerification: db.prepare<[string], PendingJoin>(
      `${PENDING_SELECT} AND t.verification_id = ? ORDER BY d.tracking_id, d.change_id`,
    ),
    markPosted: db.prepare(
      'UPDATE deliveries SET posted_at = ?, reply_ts = ?, last_error = NULL, sending_since = NULL WHERE tracking_id = ? AND change_id = ?',
    ),
    markSkipped: db.prepare('UPDATE deliveries SET posted_at = ?, skipped = 1, last_error = NULL, sending_since = NULL WHERE tracking_id = ? AND change_id = ?'),
    markSending: db.prepare('UPDATE deliveries SET sending_since = coalesce(sending_since, ?) WHERE tracking_id = ? AND change_id = ?'),
    markDeliveryFailed: db.prepare(
      `UPDATE deliveries SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?,
         sending_since = CASE WHEN ? THEN sending_since ELSE NULL END
       WHERE tracking_id = ? AND change_id = ?`,
    ),
    staleParents: db.prepare<[number], TrackingRow & VerificationRow>(
      `SELECT v.*, t.* FROM trackings t JOIN verifications v USING (verification_id)
       WHERE t.parent_stale = 1 AND t.parent_ts IS NOT NULL AND (t.ended_at IS NULL OR t.ended_at > ?)
         AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.tracking_id = t.id AND d.posted_at IS NULL)`,
    ),
    parentFresh: db.prepare('UPDATE trackings SET parent_stale = 0 WHERE id = ?'),
    parentStale: db.prepare('UPDATE trackings SET parent_stale = 1 WHERE id = ?'),
    history: db.prepare<[string], HistoryEntry>(
      `SELECT c.*, (SELECT min(posted_at) FROM deliveries d WHERE d.change_id = c.id AND d.skipped = 0) AS first_posted_at
       FROM changes c WHERE c.verification_id = ? ORDER BY c.id`,
    ),
    audit: db.prepare(
      `INSERT INTO audit (at, actor, team_id, channel_id, action, subject, detail)
       VALUES (@at, @actor, @team_id, @channel_id, @action, @subject, @detail)`,
    ),
    purgeTrackings: db.prepare('DELETE FROM trackings WHERE ended_at IS NOT NULL AND ended_at < ?'),
    purgeVerifications: db.prepare(
      `DELETE FROM verifications WHERE next_poll_at IS NULL
         AND NOT EXISTS (SELECT 1 FROM trackings t WHERE t.verification_id = verifications.verification_id)
         AND NOT EXISTS (SELECT 1 FROM workflow_waits w WHERE w.verification_id = verifications.verification_id AND w.completed_at IS NULL)`,
    ),
    purgeAudit: db.prepare('DELETE FROM audit WHERE at < ?'),
    purgeRestarts: db.prepare("DELETE FROM restarts WHERE started_at < ? AND outcome <> 'running'"),
    counts: db.prepare<[], { tracked: number; due: number; pending: number }>(
      `SELECT (SELECT count(*) FROM trackings WHERE ended_at IS NULL) AS tracked,
              (SELECT count(*) FROM verifications WHERE next_poll_at IS NOT NULL) AS due,
              (SELECT count(*) FROM deliveries d JOIN trackings t ON t.id = d.tracking_id
                WHERE d.posted_at IS NULL AND t.ended_at IS NULL) AS pending`,
    ),
  };

  /**
   * Records what Cashfree said about a verification. A change of status or
   * sub-status becomes a history row and one pending delivery per channel that
   * tracks the verification, in one transaction, before anything is posted.
   */
  const recordObservation = db.transaction((o: Observation): ChangeRow | undefined => {
    const previous = q.verification.get(o.state.verificationId);
    const current = previous === undefined ? undefined : { status: previous.status, subStatus: previous.sub_status };
    const changed = hasChanged(current, o.state);
    const changedAt = changed || previous === undefined ? o.nowMs : (previous.changed_at ?? previous.observed_at);
    const subject = {
      status: o.state.status,
      subStatus: o.state.subStatus,
      changedAtMs: changedAt,
      linkExpiry: o.state.linkExpiry,
      meetingSchedule: o.state.meetingSchedule,
      pushedAtMs: previous?.pushed_at ?? undefined,
    };
    const next = o.finalReason === undefined ? planNextPoll(subject, o.nowMs, plan) : undefined;
    const row = {
      verification_id: o.state.verificationId,
      reference_id: o.state.referenceId ?? null,
      user_id: o.state.userId ?? null,
      status: o.state.status,
      sub_status: o.state.subStatus,
      link_expiry: o.state.linkExpiry ?? null,
      meeting_schedule: o.state.meetingSchedule ?? null,
      has_recording: o.state.hasRecording ? 1 : 0,
      observed_at: o.nowMs,
      changed_at: changedAt,
      next_poll_at: next?.atMs ?? null,
      known_at: next?.knownAtMs ?? null,
    };
    // A verification is polled only once a channel tracks it (startTracking resumes polling).
    if (previous === undefined) q.insertVerification.run({ ...row, next_poll_at: null });
    else q.updateVerification.run({ ...row, next_poll_at: previous.next_poll_at === null ? null : row.next_poll_at });
    const expiredWhileTracked = o.finalReason === 'link_expired' && previous !== undefined && previous.next_poll_at !== null;
    if (!changed && !expiredWhileTracked) return undefined;
    const change = {
      verification_id: row.verification_id,
      status: row.status,
      sub_status: row.sub_status,
      previous_status: previous?.status ?? null,
      previous_sub_status: previous?.sub_status ?? null,
      meeting_schedule: row.meeting_schedule,
      has_recording: row.has_recording,
      final_reason: o.finalReason ?? null,
      observed_at: o.nowMs,
    };
    // The change happened between the last poll that saw the old state and this one: the dwell model uses both.
    const id = Number(q.insertChange.run({ ...change, seen_before_at: previous?.observed_at ?? null }).lastInsertRowid);
    if (o.causedBy !== undefined) q.insertCause.run(id, o.causedBy);
    q.fanOutChange.run(id, row.verification_id);
    q.markParentsStale.run(row.verification_id);
    return { id, ...change };
  });

  /**
   * Claims up to `limit` verifications, urgent ones first (whenever they were
   * due), then those due at a known time, then those due at `dueBy`, earliest due first, so no other worker
   * picks them while in flight. The claim records who took it and when; one
   * older than `claim.staleAfterMs` is taken back (its poller failed or died).
   */
  const claimDue = db.transaction((dueBy: number, limit: number, claim: Claim = { by: 'poller', atMs: dueBy }): VerificationRow[] => {
    const staleBefore = claim.atMs - (claim.staleAfterMs ?? DEFAULT_CLAIM_STALE_MS);
    // Agents' requests first, then what is due at a known time (a call's slot, a link's expiry), then the rest.
    const rows = q.claimUrgent.all({ staleBefore, limit });
    for (const query of [q.claimKnown, q.claimDue]) {
      if (rows.length >= limit) break;
      const taken = new Set(rows.map((row) => row.verification_id));
      rows.push(...query.all({ dueBy, staleBefore, limit }).filter((row) => !taken.has(row.verification_id)).slice(0, limit - rows.length));
    }
    for (const row of rows) q.setInFlight.run(claim.by, claim.atMs, row.verification_id);
    return rows;
  });

  /**
   * Claims the verifications due next after `dueBy`, earliest first, that were neither seen nor claimed
   * since `claim.atMs` (the tick's start): when nothing is due and the budget has requests to spare, they
   * are the ones closest to their chance of news. Not one backing off after an error about it, nor one
   * webhooks reported on since `pushedSinceMs` (polling is only their safety net).
   */
  const claimAhead = db.transaction((dueBy: number, limit: number, claim: Claim, pushedSinceMs: number): VerificationRow[] => {
    const rows = q.claimAhead.all({ dueBy, since: claim.atMs, pushedSince: pushedSinceMs, limit });
    for (const row of rows) q.setInFlight.run(claim.by, claim.atMs, row.verification_id);
    return rows;
  });

  /** Starts a tracking; undefined when this channel already tracks the verification. */
  const startTracking = db.transaction(
    (t: { verificationId: string; teamId: string | undefined; channelId: string; threadTs?: string | undefined; trackedBy: string; nowMs: number; openedByRule?: boolean }) => {
      const existing = q.activeTracking.get(t.verificationId, t.channelId);
      if (existing !== undefined) return { created: false as const, tracking: existing };
      const id = Number(
        q.insertTracking.run({
          verification_id: t.verificationId,
          team_id: t.teamId ?? null,
          channel_id: t.channelId,
          thread_ts: t.threadTs ?? null,
          tracked_by: t.trackedBy,
          tracked_at: t.nowMs,
          // A channel rule's card: its tracked_by is the rule's author, who did not track it (`by:` ignores them).
          opened_by_rule: t.openedByRule === true ? 1 : 0,
        }).lastInsertRowid,
      );
      q.resumePolling.run(t.nowMs, t.verificationId);
      return { created: true as const, id };
    },
  );

  const endTracking = db.transaction((trackingId: number, verificationId: string, nowMs: number, by: string, reason: string) => {
    const ended = q.endTracking.run(nowMs, by, reason, trackingId).changes > 0;
    q.stopPollingIfUntracked.run({ id: verificationId });
    return ended;
  });

  const waits = createWaitStore(db);

  /** A workflow step waits for this verification's outcome: it is polled from now on, tracked in a channel or not. */
  const startWaiting = db.transaction((w: NewWait): boolean => {
    const created = waits.insert(w);
    if (created) q.resumePolling.run(w.nowMs, w.verificationId);
    return created;
  });

  const purgeEndedBefore = db.transaction((cutoffMs: number) => {
    const trackings = q.purgeTrackings.run(cutoffMs).changes;
    const workflowWaits = waits.purgeClosedBefore(cutoffMs);
    const verifications = q.purgeVerifications.run().changes;
    const audit = q.purgeAudit.run(cutoffMs).changes;
    q.purgeRestarts.run(cutoffMs);
    return { trackings, verifications, audit, workflow_waits: workflowWaits };
  });

  return {
    db,
    /** Webhook deliveries and channel subscriptions. */
    push: createPushStore(db),
    /** Channel rules and settings. */
    channels: createChannelStore(db),
    /** Owners of verifications, their DMs and their App Home settings. */
    owners: createOwnerStore(db),
    /** Workflow Builder steps waiting for a verification's outcome. */
    waits,
    startWaiting,
    /** Runs `work` in one transaction: all of it is recorded, or none. */
    atomically: <T>(work: () => T): T => db.transaction(work)(),
    /** Keyed phone hashes of the verifications the bot started (`/kyc find`). */
    phones: createPhoneQueries(db),
    /** Bulk starts from a CSV: batches and their rows (values sealed). */
    bulk: createBulkStore(db),
    /** Service levels: unfinished journeys and their escalations. */
    sla: createSlaQueries(db),
    verification: (id: string) => q.verification.get(id),
    /** The last state the bot saw of a verification, as the domain sees it. */
    verificationState: (id: string): VkycState | undefined => {
      const row = q.verification.get(id);
      return row === undefined ? undefined : verificationFromRow(row);
    },
    verificationByReference: (referenceId: number) => q.verificationByReference.get(referenceId),
    recordObservation,
    claimDue,
    claimAhead,
    releaseClaim: (verificationId: string) => void q.releaseClaim.run(verificationId),
    /** Frees claims a previous poller left behind (it crashed or was stopped mid-tick); call on taking the poll lease. */
    releaseAllClaims: () => void q.releaseAll.run(),
    /** A failed status check; only failures about this verification count towards its backoff. */
    pollFailed: (verificationId: string, failure: { error: string; nextPollAt: number; countsAsAttempt: boolean }) =>
      void q.pollFailed.run(failure.countsAsAttempt ? 1 : 0, failure.error.slice(0, 500), failure.nextPollAt, verificationId),
    /** An agent asked for this verification (a Refresh button): the poller takes it before anything else. False when untracked. */
    markUrgent: (verificationId: string) => q.markUrgent.run(verificationId).changes > 0,
    startTracking,
    abandonTracking: db.transaction((trackingId: number, verificationId: string) => {
      q.deleteTracking.run(trackingId);
      q.stopPollingIfUntracked.run({ id: verificationId });
    }),
    setParent: (trackingId: number, parentTs: string, permalink: string | undefined) =>
      void q.setParent.run(parentTs, permalink ?? null, trackingId),
    activeTracking: (verificationId: string, channelId: string) => q.activeTracking.get(verificationId, channelId),
    /** The channel's most recent card for a verification, ended or not (a Start again click on an ended card). */
    latestTracking: (verificationId: string, channelId: string) => q.latestTracking.get(verificationId, channelId),
    tracking: (trackingId: number) => q.trackingById.get(trackingId),
    endTracking,
    pendingDeliveries: () => q.pending.all().map(toPending),
    pendingDeliveriesFor: (verificationId: string) => q.pendingForVerification.all(verificationId).map(toPending),
    markPosted: (trackingId: number, changeId: number, replyTs: string, nowMs: number) =>
      void q.markPosted.run(nowMs, replyTs, trackingId, changeId),
    /** A condensed channel's thread skips this change: handled, never posted later (the card still shows it). */
    markSkipped: (trackingId: number, changeId: number, nowMs: number) => void q.markSkipped.run(nowMs, trackingId, changeId),
    /** Recorded before the post, so a crash or a timeout leaves a mark that the reply may be in the thread already. */
    markSending: (trackingId: number, changeId: number, nowMs: number) => void q.markSending.run(nowMs, trackingId, changeId),
    /** inDoubt: Slack may have posted it anyway (timeout, reset), so keep the sending mark. */
    markDeliveryFailed: (trackingId: number, changeId: number, error: string, nextAttemptAt: number, inDoubt = false) =>
      void q.markDeliveryFailed.run(error.slice(0, 500), nextAttemptAt, inDoubt ? 1 : 0, trackingId, changeId),
    /** Parents to re-render; an ended tracking's last update is retried for a day, not forever. */
    staleParents: (nowMs: number) => q.staleParents.all(nowMs - 24 * 60 * 60_000),
    parentFresh: (trackingId: number) => void q.parentFresh.run(trackingId),
    /** This card must be re-rendered (an ended one that now says where it was started again): a failed update is retried. */
    parentStale: (trackingId: number) => void q.parentStale.run(trackingId),
    history: (verificationId: string) => q.history.all(verificationId),
    audit: (entry: AuditEntry, nowMs: number) =>
      void q.audit.run({
        at: nowMs,
        actor: entry.actor,
        team_id: entry.teamId ?? null,
        channel_id: entry.channelId ?? null,
        action: entry.action,
        subject: entry.subject ?? null,
        detail: entry.detail ?? null,
      }),
    purgeEndedBefore,
    counts: () => q.counts.get() ?? { tracked: 0, due: 0, pending: 0 },
    ...createReportQueries(db),
    ...createDwellQueries(db),
    ...createPageQueries(db),
    ...createRestartQueries(db),
    ...createTurnaroundQueries(db),
    pollPlan: (): PollPlan => plan,
    setPollPlan: (next: PollPlan): void => {
      plan = next;
    },
    close: () => db.close(),
  };
}

interface PendingJoin extends TrackingRow {
  d_attempts: number;
  d_next_attempt_at: number;
  d_sending_since: number | null;
  c_id: number;
  c_status: string;
  c_sub_status: string;
  c_previous_status: string | null;
  c_previous_sub_status: string | null;
  c_meeting_schedule: string | null;
  c_has_recording: number;
  c_final_reason: FinalReason | null;
  c_observed_at: number;
}

function toPending(row: PendingJoin): PendingDelivery {
  return {
    attempts: row.d_attempts,
    next_attempt_at: row.d_next_attempt_at,
    sending_since: row.d_sending_since,
    tracking: {
      id: row.id,
      verification_id: row.verification_id,
      team_id: row.team_id,
      channel_id: row.channel_id,
      parent_ts: row.parent_ts,
      thread_ts: row.thread_ts,
      permalink: row.permalink,
      tracked_by: row.tracked_by,
      tracked_at: row.tracked_at,
      parent_stale: row.parent_stale,
      ended_at: row.ended_at,
    },
    change: {
      id: row.c_id,
      verification_id: row.verification_id,
      status: row.c_status,
      sub_status: row.c_sub_status,
      previous_status: row.c_previous_status,
      previous_sub_status: row.c_previous_sub_status,
      meeting_schedule: row.c_meeting_schedule,
      has_recording: row.c_has_recording,
      final_reason: row.c_final_reason,
      observed_at: row.c_observed_at,
    },
  };
}
