import type { Db } from './open.js';

/** A verification the bot started for a phone, as `/kyc find` lists it: never the phone, only its keyed hash matched. */
export interface PhoneStart {
  verification_id: string;
  started_at: number;
  started_by: string;
  channel_id: string | null;
  /** The last state the bot saw, when it still keeps the verification. */
  status: string | null;
  sub_status: string | null;
  /** A thread that follows it, if any (the newest). */
  permalink: string | null;
}

/** Most matches listed for one phone: a customer started hundreds of times is a question for Cashfree's dashboard. */
export const PHONE_MATCHES_SHOWN = 10;

export function createPhoneQueries(db: Db) {
  const q = {
    record: db.prepare(
      `INSERT INTO phone_starts (phone_hash, verification_id, started_at, started_by, channel_id) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (phone_hash, verification_id) DO NOTHING`,
    ),
    byHash: db.prepare<[string, number], PhoneStart>(
      `SELECT p.verification_id, p.started_at, p.started_by, p.channel_id, v.status, v.sub_status,
         (SELECT t.permalink FROM trackings t WHERE t.verification_id = p.verification_id AND t.permalink IS NOT NULL
           ORDER BY t.ended_at IS NULL DESC, t.tracked_at DESC LIMIT 1) AS permalink
       FROM phone_starts p LEFT JOIN verifications v USING (verification_id)
       WHERE p.phone_hash = ? ORDER BY p.started_at DESC, p.verification_id LIMIT ?`,
    ),
    count: db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM phone_starts WHERE phone_hash = ?'),
    purge: db.prepare('DELETE FROM phone_starts WHERE started_at < ?'),
  };
  return {
    record: (entry: { phoneHash: string; verificationId: string; atMs: number; by: string; channelId: string | undefined }) =>
      void q.record.run(entry.phoneHash, entry.verificationId, entry.atMs, entry.by, entry.channelId ?? null),
    /** Newest first, at most PHONE_MATCHES_SHOWN, and how many there are in all. */
    find: (phoneHash: string) => ({ shown: q.byHash.all(phoneHash, PHONE_MATCHES_SHOWN), total: q.count.get(phoneHash)?.n ?? 0 }),
    /** Forgets starts older than the retention period, as trackings are. */
    purgeBefore: (cutoffMs: number) => q.purge.run(cutoffMs).changes,
  };
}
