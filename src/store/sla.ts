import type { JourneyRecord } from '../vkyc/turnaround.js';
import type { Db } from './open.js';

/** A verification that may be over a service level: still followed, with a card in some channel. */
export interface SlaCandidate {
  record: JourneyRecord;
  /** From the owners table only: nobody else is DMed (src/tracking/owner.ts). */
  owner: string | undefined;
  /** Its latest state, which the owner's DM records. */
  status: string;
  subStatus: string;
}

/** A thread that can be escalated in: an active card in a channel with an escalation target (`/kyc settings`). */
export interface EscalationThread {
  tracking_id: number;
  verification_id: string;
  channel_id: string;
  thread_ts: string;
  escalation_target: string;
}

interface CandidateRow {
  verification_id: string;
  current_status: string;
  current_sub_status: string;
  owner: string | null;
  user_template: string | null;
  started_at: number | null;
  status: string;
  sub_status: string;
  observed_at: number;
  seen_before_at: number | null;
  final_reason: string | null;
}

/** Service levels: the journeys of unfinished tracked verifications, and the escalations, marked once per breach and tracking. */
export function createSlaQueries(db: Db) {
  const q = {
    candidates: db.prepare<[], CandidateRow>(
      `SELECT v.verification_id, v.status AS current_status, v.sub_status AS current_sub_status, o.user_id AS owner,
         s.user_template, s.started_at, c.status, c.sub_status, c.observed_at, c.seen_before_at, c.final_reason
       FROM verifications v
       JOIN changes c INDEXED BY changes_verification ON c.verification_id = v.verification_id
       LEFT JOIN owners o ON o.verification_id = v.verification_id
       LEFT JOIN verification_origins s ON s.verification_id = v.verification_id
       WHERE v.next_poll_at IS NOT NULL AND EXISTS (
         SELECT 1 FROM trackings t WHERE t.verification_id = v.verification_id AND t.ended_at IS NULL AND t.parent_ts IS NOT NULL)
       ORDER BY v.verification_id, c.id`,
    ),
    threads: db.prepare<[], EscalationThread>(
      `SELECT t.id AS tracking_id, t.verification_id, t.channel_id, coalesce(t.thread_ts, t.parent_ts) AS thread_ts, cs.escalation_target
       FROM trackings t JOIN channel_settings cs ON cs.channel_id = t.channel_id
       WHERE t.ended_at IS NULL AND t.parent_ts IS NOT NULL AND cs.escalation_target IS NOT NULL`,
    ),
    claim: db.prepare('INSERT OR IGNORE INTO sla_escalations (tracking_id, breach_key, posted_at) VALUES (?, ?, ?)'),
    release: db.prepare('DELETE FROM sla_escalations WHERE tracking_id = ? AND breach_key = ?'),
  };
  return {
    /** Unfinished verifications with an active card, each with every observed change, oldest first. */
    slaCandidates: (): SlaCandidate[] => {
      const candidates: SlaCandidate[] = [];
      const changes = new Map<string, JourneyRecord['changes'][number][]>();
      // Rows come ordered by verification: a new id starts a new candidate.
      for (const row of q.candidates.iterate()) {
        let own = changes.get(row.verification_id);
        if (own === undefined) {
          own = [];
          changes.set(row.verification_id, own);
          const record = { verificationId: row.verification_id, template: row.user_template ?? undefined, owner: row.owner ?? '', startedAt: row.started_at ?? undefined, changes: own };
          candidates.push({ record, owner: row.owner ?? undefined, status: row.current_status, subStatus: row.current_sub_status });
        }
        own.push({ status: row.status, subStatus: row.sub_status, observedAt: row.observed_at, seenBeforeAt: row.seen_before_at, finalReason: row.final_reason });
      }
      return candidates;
    },
    /** Active cards in channels with an escalation target. */
    escalationThreads: () => q.threads.all(),
    /** Marks a breach as escalated in this card's thread before it is posted; false when it already was. */
    claimEscalation: (trackingId: number, breachKey: string, nowMs: number) => q.claim.run(trackingId, breachKey, nowMs).changes > 0,
    /** Slack refused the post: the escalation is tried again at the next check. */
    releaseEscalation: (trackingId: number, breachKey: string) => void q.release.run(trackingId, breachKey),
  };
}
