import type { ListedTracking } from '../vkyc/types.js';
import type { Db } from './open.js';

export type { ListedTracking } from '../vkyc/types.js';

const LISTED_SELECT = `
  SELECT t.verification_id, v.status, v.sub_status, t.permalink, t.tracked_by, t.tracked_at, v.changed_at,
    (v.last_error IS NOT NULL) AS check_failed
  FROM trackings t JOIN verifications v USING (verification_id)
  WHERE t.channel_id = ? AND t.ended_at IS NULL AND t.parent_ts IS NOT NULL`;

/** `/kyc list` a page at a time (a channel may track thousands); a limit of -1 reads to the end, for the CSV. */
export function createPageQueries(db: Db) {
  const q = {
    listedCount: db.prepare<[string], { n: number }>(
      'SELECT count(*) AS n FROM trackings WHERE channel_id = ? AND ended_at IS NULL AND parent_ts IS NOT NULL',
    ),
    // Newest first; the id breaks ties, so every row has one place whatever the page size.
    listed: db.prepare<[string, number, number], ListedTracking>(`${LISTED_SELECT} ORDER BY t.tracked_at DESC, t.id DESC LIMIT ? OFFSET ?`),
  };
  return {
    /** Active trackings of a channel whose card is posted. */
    listedCount: (channelId: string) => q.listedCount.get(channelId)?.n ?? 0,
    /** A page of them, newest first. */
    listedPage: (channelId: string, offset: number, limit: number) => q.listed.all(channelId, limit, offset),
  };
}
