import type { RestartRow } from '../vkyc/types.js';
import type { Db } from './open.js';

export type { RestartRow } from '../vkyc/types.js';

/** A restart still "running" after this long was cut short (the process died mid-call): another may be tried. */
export const RESTART_STALE_MS = 10 * 60_000;

export type RestartClaim = { claimed: true; id: number } | { claimed: false; existing: RestartRow };

/**
 * Start again, as rows: one per attempt to start a verification again as a new one. The unique index
 * `restarts_one_per_verification` holds at most one running or done restart per verification, across
 * processes; a failed one leaves room for another.
 */
export function createRestartQueries(db: Db) {
  const q = {
    current: db.prepare<[string], RestartRow>("SELECT * FROM restarts WHERE from_verification_id = ? AND outcome <> 'failed'"),
    byNew: db.prepare<[string], RestartRow>('SELECT * FROM restarts WHERE to_verification_id = ?'),
    insert: db.prepare(
      `INSERT INTO restarts (from_verification_id, to_verification_id, channel_id, thread_ts, started_by, started_at)
       VALUES (@from, @to, @channel, @thread, @by, @at)`,
    ),
    giveUpStale: db.prepare(
      "UPDATE restarts SET outcome = 'failed', finished_at = ? WHERE from_verification_id = ? AND outcome = 'running' AND started_at < ?",
    ),
    finish: db.prepare('UPDATE restarts SET outcome = ?, to_permalink = ?, finished_at = ? WHERE id = ?'),
  };

  const claim = db.transaction((r: { from: string; to: string; channel: string; thread: string; by: string; at: number }): RestartClaim => {
    q.giveUpStale.run(r.at, r.from, r.at - RESTART_STALE_MS);
    const existing = q.current.get(r.from);
    if (existing !== undefined) return { claimed: false, existing };
    return { claimed: true, id: Number(q.insert.run(r).lastInsertRowid) };
  });

  return {
    /** The running or done restart of a verification, if any. */
    restartOf: (fromVerificationId: string) => q.current.get(fromVerificationId),
    /** The restart a verification came from, if it is one. */
    restartInto: (toVerificationId: string) => q.byNew.get(toVerificationId),
    /**
     * Claims the one restart a verification may have. Another process's claim made between the read and
     * the insert trips the unique index; that is read back as the existing restart, never a second one.
     */
    claimRestart: (r: { from: string; to: string; channel: string; thread: string; by: string; at: number }): RestartClaim => {
      try {
        return claim(r);
      } catch (error) {
        const existing = isUniqueViolation(error) ? q.current.get(r.from) : undefined;
        if (existing === undefined) throw error;
        return { claimed: false, existing };
      }
    },
    finishRestart: (id: number, outcome: 'started' | 'failed', permalink: string | undefined, atMs: number) =>
      void q.finish.run(outcome, permalink ?? null, atMs, id),
  };
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'SQLITE_CONSTRAINT_UNIQUE';
}
