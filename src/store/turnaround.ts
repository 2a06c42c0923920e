import type { JourneyRecord, Period } from '../vkyc/turnaround.js';
import type { Db } from './open.js';

interface JourneyJoin {
  verification_id: string;
  status: string;
  sub_status: string;
  observed_at: number;
  seen_before_at: number | null;
  final_reason: string | null;
  user_template: string | null;
  started_at: number | null;
  owner: string;
}

/**
 * Tracked verifications with a change in the period: one whose gap (from the poll before it to the poll that saw it)
 * reaches into the period, so every stage that ended in it and every final state reached in it is found.
 */
const JOURNEY_IDS = `
  SELECT DISTINCT c.verification_id FROM changes c
  WHERE c.observed_at >= @from AND coalesce(c.seen_before_at, c.observed_at) < @to
    AND EXISTS (SELECT 1 FROM trackings t WHERE t.verification_id = c.verification_id AND t.parent_ts IS NOT NULL
      AND (@channel IS NULL OR t.channel_id = @channel))`;

/** Every change of those verifications, oldest first, with the template and the owner (src/tracking/owner.ts; for rows older than owners, who started it, else who first tracked it). */
const JOURNEY_SELECT = `
  WITH ids AS MATERIALIZED (${JOURNEY_IDS}),
  journey_owners AS MATERIALIZED (
    SELECT ids.verification_id, s.user_template, s.started_at,
      coalesce(ow.user_id, s.started_by, (SELECT t.tracked_by FROM trackings t WHERE t.verification_id = ids.verification_id ORDER BY t.opened_by_rule, t.tracked_at, t.id LIMIT 1)) AS owner
    FROM ids LEFT JOIN verification_origins s USING (verification_id) LEFT JOIN owners ow USING (verification_id))
  SELECT c.verification_id, c.status, c.sub_status, c.observed_at, c.seen_before_at, c.final_reason, o.user_template, o.started_at, o.owner
  FROM journey_owners o JOIN changes c INDEXED BY changes_verification ON c.verification_id = o.verification_id
  ORDER BY c.verification_id, c.id`;

/** The journeys behind turnaround figures (templates and starts from verification_origins, which /kyc vkyc fills), and the marks that make a weekly report once-only. */
export function createTurnaroundQueries(db: Db) {
  const q = {
    journeys: db.prepare<{ from: number; to: number; channel: string | null }, JourneyJoin>(JOURNEY_SELECT),
    reportChannels: db.prepare<{ from: number; to: number }, { channel_id: string }>(
      `SELECT DISTINCT channel_id FROM trackings WHERE parent_ts IS NOT NULL AND tracked_at < @to AND (ended_at IS NULL OR ended_at >= @from)
       ORDER BY channel_id`,
    ),
    claimReport: db.prepare('INSERT OR IGNORE INTO turnaround_reports (channel_id, period_start, posted_at) VALUES (?, ?, ?)'),
    releaseReport: db.prepare('DELETE FROM turnaround_reports WHERE channel_id = ? AND period_start = ?'),
    purgeReports: db.prepare('DELETE FROM turnaround_reports WHERE period_start < ?'),
  };
  return {
    /** The journeys with a change in the period, of every tracked verification or only those tracked in `channelId`. */
    journeyRecords: (period: Period, channelId?: string): JourneyRecord[] => {
      const records: Array<JourneyRecord & { changes: JourneyRecord['changes'][number][] }> = [];
      // Rows come ordered by verification: a new id starts a new record.
      for (const row of q.journeys.all({ from: period.startMs, to: period.endMs, channel: channelId ?? null })) {
        let record = records.at(-1);
        if (record?.verificationId !== row.verification_id) {
          record = { verificationId: row.verification_id, template: row.user_template ?? undefined, owner: row.owner, startedAt: row.started_at ?? undefined, changes: [] };
          records.push(record);
        }
        record.changes.push({ status: row.status, subStatus: row.sub_status, observedAt: row.observed_at, seenBeforeAt: row.seen_before_at, finalReason: row.final_reason });
      }
      return records;
    },
    /** Channels whose trackings overlap the period. */
    reportChannels: (period: Period) => q.reportChannels.all({ from: period.startMs, to: period.endMs }).map((row) => row.channel_id),
    /** Marks a channel's report for the period as sent, before it is posted; false when it already was. */
    claimReport: (channelId: string, periodStart: number, nowMs: number) => q.claimReport.run(channelId, periodStart, nowMs).changes > 0,
    /** Slack refused the post: the report may be sent again at a later run in the same week. */
    releaseReport: (channelId: string, periodStart: number) => void q.releaseReport.run(channelId, periodStart),
    /** A week long gone is never reported again: its marks can go. */
    purgeReportsBefore: (cutoffMs: number) => q.purgeReports.run(cutoffMs).changes,
  };
}
