import type { OutcomeRow, TrackedState } from '../vkyc/types.js';
import type { Db } from './open.js';

export type { OutcomeRow, TrackedState } from '../vkyc/types.js';



const TRACKED_SELECT = `
  SELECT t.id AS tracking_id, t.verification_id, t.channel_id, t.parent_ts, t.thread_ts, t.permalink, t.tracked_by,
    v.status, v.sub_status, v.link_expiry,
    coalesce((SELECT max(c.observed_at) FROM changes c WHERE c.verification_id = v.verification_id), v.observed_at) AS since
  FROM trackings t JOIN verifications v USING (verification_id)
  WHERE t.ended_at IS NULL AND t.parent_ts IS NOT NULL`;

/** Read models for App Home, alerts and the digest, and the marks that make their notes once-only. */
export function createReportQueries(db: Db) {
  const q = {
    tracked: db.prepare<[], TrackedState>(`${TRACKED_SELECT} ORDER BY t.tracked_at`),
    trackedBy: db.prepare<[string], TrackedState>(`${TRACKED_SELECT} AND t.tracked_by = ? ORDER BY t.tracked_at`),
    endedSince: db.prepare<[number], { n: number }>(
      `SELECT count(DISTINCT verification_id) AS n FROM trackings WHERE ended_at >= ? AND ended_reason IS NOT 'parent_deleted'`,
    ),
    claimAlert: db.prepare('INSERT OR IGNORE INTO alerts (tracking_id, kind, wait_key, posted_at) VALUES (?, ?, ?, ?)'),
    dropAlert: db.prepare('DELETE FROM alerts WHERE tracking_id = ? AND kind = ? AND wait_key = ?'),
    digestChannels: db.prepare<[number], { channel_id: string }>(
      `SELECT DISTINCT channel_id FROM trackings WHERE parent_ts IS NOT NULL AND (ended_at IS NULL OR ended_at >= ?) ORDER BY channel_id`,
    ),
    lastDigest: db.prepare<[string], { posted_at: number }>('SELECT posted_at FROM digests WHERE channel_id = ?'),
    setDigest: db.prepare(
      'INSERT INTO digests (channel_id, posted_at) VALUES (?, ?) ON CONFLICT (channel_id) DO UPDATE SET posted_at = excluded.posted_at',
    ),
    outcomes: db.prepare<[string, number], OutcomeRow>(
      `SELECT DISTINCT c.verification_id, t.permalink, c.status, c.sub_status, c.final_reason, c.observed_at
       FROM changes c JOIN trackings t ON t.verification_id = c.verification_id
       WHERE t.channel_id = ? AND c.final_reason IS NOT NULL AND c.observed_at > ?
         AND c.observed_at >= t.tracked_at AND (t.ended_at IS NULL OR c.observed_at <= t.ended_at)
       ORDER BY c.observed_at`,
    ),
  };
  return {
    /** Every active tracking whose parent is posted, oldest first. */
    trackedStates: () => q.tracked.all(),
    /** The same rows one at a time (no other query may run on the connection until the loop ends). */
    eachTrackedState: () => q.tracked.iterate(),
    trackedStatesBy: (userId: string) => q.trackedBy.all(userId),
    /** Verifications whose tracking ended at or after `sinceMs`. */
    endedSince: (sinceMs: number) => q.endedSince.get(sinceMs)?.n ?? 0,
    /** Marks a note as sent before it is posted; false when it was already. */
    claimAlert: (trackingId: number, kind: 'stuck' | 'expiry', waitKey: string, nowMs: number) =>
      q.claimAlert.run(trackingId, kind, waitKey, nowMs).changes > 0,
    /** The post failed: the note may be sent again at the next tick. */
    releaseAlert: (trackingId: number, kind: 'stuck' | 'expiry', waitKey: string) => void q.dropAlert.run(trackingId, kind, waitKey),
    /** Channels that track something now, or stopped after `sinceMs`. */
    digestChannels: (sinceMs: number) => q.digestChannels.all(sinceMs).map((row) => row.channel_id),
    lastDigestAt: (channelId: string) => q.lastDigest.get(channelId)?.posted_at,
    setDigestAt: (channelId: string, nowMs: number) => void q.setDigest.run(channelId, nowMs),
    /** Final statuses reached after `sinceMs` in trackings of this channel. */
    outcomesSince: (channelId: string, sinceMs: number) => q.outcomes.all(channelId, sinceMs),
  };
}
