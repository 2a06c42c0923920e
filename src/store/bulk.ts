import type { Db } from './open.js';

/** A bulk start, as the runner and the surfaces read it (never a row's values: those are sealed). */
export interface BulkBatch {
  id: number;
  batch_key: string;
  created_by: string;
  team_id: string | null;
  dm_channel: string;
  created_at: number;
  status: 'draft' | 'posting' | 'running' | 'done';
  channel_id: string | null;
  card_ts: string | null;
  /** JSON of BulkOptions. */
  options: string | null;
  card_stale: number;
  finished_at: number | null;
  csv_sent_at: number | null;
}

export type BulkRowState = 'invalid' | 'pending' | 'starting' | 'started' | 'failed';

export interface BulkRowRecord {
  batch_id: number;
  row_number: number;
  state: BulkRowState;
  sealed: string | null;
  verification_id: string;
  attempts: number;
  next_attempt_at: number;
  reason: string | null;
}

export interface BulkCounts {
  total: number;
  started: number;
  failed: number;
  remaining: number;
}

export interface NewBatch {
  batchKey: string;
  createdBy: string;
  teamId: string | undefined;
  dmChannel: string;
  nowMs: number;
  rows: ReadonlyArray<{ row: number; sealed: string; verificationId: string }>;
  invalid: ReadonlyArray<{ row: number; reason: string; verificationId: string }>;
}

export function createBulkStore(db: Db) {
  const q = {
    insertBatch: db.prepare(
      `INSERT INTO bulk_batches (batch_key, created_by, team_id, dm_channel, created_at, status) VALUES (?, ?, ?, ?, ?, 'draft')`,
    ),
    insertRow: db.prepare(
      `INSERT INTO bulk_rows (batch_id, row_number, state, sealed, verification_id, reason) VALUES (?, ?, ?, ?, ?, ?)`,
    ),
    batch: db.prepare<[number], BulkBatch>('SELECT * FROM bulk_batches WHERE id = ?'),
    setStatus: db.prepare<[string, number, string]>('UPDATE bulk_batches SET status = ? WHERE id = ? AND status = ?'),
    claimDraft: db.prepare<[number, number]>(`UPDATE bulk_batches SET status = 'posting' WHERE id = ? AND status = 'draft' AND created_at >= ?`),
    confirm: db.prepare(
      `UPDATE bulk_batches SET status = 'running', channel_id = ?, card_ts = ?, options = ?, confirmed_at = ? WHERE id = ? AND status = 'posting'`,
    ),
    open: db.prepare<[], BulkBatch>(`SELECT * FROM bulk_batches WHERE status = 'running' OR (status = 'done' AND csv_sent_at IS NULL) ORDER BY id`),
    dueRows: db.prepare<[number, number, number], BulkRowRecord>(
      `SELECT * FROM bulk_rows WHERE batch_id = ? AND state IN ('pending', 'starting') AND next_attempt_at <= ? ORDER BY row_number LIMIT ?`,
    ),
    attempt: db.prepare(
      `UPDATE bulk_rows SET state = 'starting', attempts = attempts + 1, attempted_at = ? WHERE batch_id = ? AND row_number = ?`,
    ),
    settle: db.prepare(`UPDATE bulk_rows SET state = ?, sealed = NULL, reason = ? WHERE batch_id = ? AND row_number = ?`),
    retryLater: db.prepare('UPDATE bulk_rows SET next_attempt_at = ?, reason = ? WHERE batch_id = ? AND row_number = ?'),
    stale: db.prepare('UPDATE bulk_batches SET card_stale = 1 WHERE id = ?'),
    fresh: db.prepare('UPDATE bulk_batches SET card_stale = 0 WHERE id = ?'),
    attemptsSince: db.prepare<[number], { n: number }>('SELECT count(*) AS n FROM bulk_rows WHERE attempted_at > ?'),
    unreported: db.prepare<[number], BulkRowRecord>(
      `SELECT * FROM bulk_rows WHERE batch_id = ? AND state IN ('invalid', 'failed') AND reported_at IS NULL ORDER BY row_number`,
    ),
    reported: db.prepare('UPDATE bulk_rows SET reported_at = ? WHERE batch_id = ? AND row_number = ?'),
    counts: db.prepare<[number], BulkCounts>(
      `SELECT count(*) AS total, coalesce(sum(state = 'started'), 0) AS started, coalesce(sum(state IN ('invalid', 'failed')), 0) AS failed,
         coalesce(sum(state IN ('pending', 'starting')), 0) AS remaining
       FROM bulk_rows WHERE batch_id = ?`,
    ),
    finish: db.prepare(`UPDATE bulk_batches SET status = 'done', finished_at = ?, card_stale = 1 WHERE id = ? AND status = 'running'`),
    csvSent: db.prepare('UPDATE bulk_batches SET csv_sent_at = ? WHERE id = ?'),
    rows: db.prepare<[number], BulkRowRecord>('SELECT * FROM bulk_rows WHERE batch_id = ? ORDER BY row_number'),
    purgeDrafts: db.prepare(`DELETE FROM bulk_batches WHERE status IN ('draft', 'posting') AND created_at < ?`),
  };

  const createDraft = db.transaction((batch: NewBatch): number => {
    const id = Number(q.insertBatch.run(batch.batchKey, batch.createdBy, batch.teamId ?? null, batch.dmChannel, batch.nowMs).lastInsertRowid);
    for (const row of batch.rows) q.insertRow.run(id, row.row, 'pending', row.sealed, row.verificationId, null);
    for (const row of batch.invalid) q.insertRow.run(id, row.row, 'invalid', null, row.verificationId, row.reason);
    return id;
  });
  const settle = db.transaction((batchId: number, row: number, state: 'started' | 'failed', reason: string | null) => {
    q.settle.run(state, reason, batchId, row);
    q.stale.run(batchId);
  });

  return {
    createDraft,
    batch: (id: number) => q.batch.get(id),
    /** The agent confirmed: the draft is theirs to post a card for; false when someone already did, or it was stored before `notBeforeMs`. */
    claimDraft: (id: number, notBeforeMs: number) => q.claimDraft.run(id, notBeforeMs).changes > 0,
    /** The card could not be posted: the draft waits for another try. */
    releaseDraft: (id: number) => void q.setStatus.run('draft', id, 'posting'),
    confirm: (id: number, c: { channelId: string; cardTs: string; options: string; nowMs: number }) =>
      q.confirm.run(c.channelId, c.cardTs, c.options, c.nowMs, id).changes > 0,
    /** Batches with rows to start, failures to report or a CSV to send. */
    openBatches: () => q.open.all(),
    dueRows: (batchId: number, nowMs: number, limit: number) => q.dueRows.all(batchId, nowMs, limit),
    /** Recorded before POST /vkyc: a crash after it leaves the row `starting`, retried with the same verification id. */
    markAttempt: (batchId: number, row: number, nowMs: number) => void q.attempt.run(nowMs, batchId, row),
    /** Started or failed for good: the sealed values are deleted in the same write. */
    settle: (batchId: number, row: number, state: 'started' | 'failed', reason?: string) => settle(batchId, row, state, reason ?? null),
    retryLater: (batchId: number, row: number, nextAttemptAt: number, reason: string) => void q.retryLater.run(nextAttemptAt, reason, batchId, row),
    /** POST /vkyc calls of every batch since `cutoffMs`: bulk starts' share of the request budget. */
    attemptsSince: (cutoffMs: number) => q.attemptsSince.get(cutoffMs)?.n ?? 0,
    unreported: (batchId: number) => q.unreported.all(batchId),
    markReported: (batchId: number, row: number, nowMs: number) => void q.reported.run(nowMs, batchId, row),
    counts: (batchId: number): BulkCounts => q.counts.get(batchId) ?? { total: 0, started: 0, failed: 0, remaining: 0 },
    cardFresh: (batchId: number) => void q.fresh.run(batchId),
    finish: (batchId: number, nowMs: number) => q.finish.run(nowMs, batchId).changes > 0,
    csvSent: (batchId: number, nowMs: number) => void q.csvSent.run(nowMs, batchId),
    rows: (batchId: number) => q.rows.all(batchId),
    /** Drafts nobody confirmed: their sealed rows go with them. */
    purgeDrafts: (cutoffMs: number) => q.purgeDrafts.run(cutoffMs).changes,
  };
}

export type BulkStore = ReturnType<typeof createBulkStore>;
