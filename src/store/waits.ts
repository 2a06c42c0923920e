import type { FinalReason } from '../vkyc/lifecycle.js';
import type { Db } from './open.js';

/** A Workflow Builder "Wait for a Video KYC outcome" step, open until its verification ends and Slack is told. */
export interface WaitRow {
  execution_id: string;
  verification_id: string;
  team_id: string | null;
  user_id: string | null;
  started_at: number;
  /** The final state, once the verification ended (settled_at set). */
  status: string | null;
  sub_status: string | null;
  final_reason: FinalReason | null;
  settled_at: number | null;
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
  completed_at: number | null;
  /** 'completed' or 'failed' when Slack took the completion; Slack's error code when it no longer runs the execution. */
  closed_reason: string | null;
}

export interface NewWait {
  executionId: string;
  verificationId: string;
  teamId: string | undefined;
  userId: string | undefined;
  nowMs: number;
}

/** Open workflow waits: recorded when the step runs, settled when the verification ends, closed once Slack is told. */
export function createWaitStore(db: Db) {
  const q = {
    insert: db.prepare(
      `INSERT OR IGNORE INTO workflow_waits (execution_id, verification_id, team_id, user_id, started_at)
       VALUES (@execution_id, @verification_id, @team_id, @user_id, @started_at)`,
    ),
    settle: db.prepare(
      `UPDATE workflow_waits SET status = @status, sub_status = @sub_status, final_reason = @final_reason, settled_at = @at
       WHERE verification_id = @verification_id AND settled_at IS NULL`,
    ),
    due: db.prepare<[number, number], WaitRow>(
      `SELECT * FROM workflow_waits WHERE settled_at IS NOT NULL AND completed_at IS NULL AND next_attempt_at <= ?
       ORDER BY next_attempt_at, started_at LIMIT ?`,
    ),
    closed: db.prepare('UPDATE workflow_waits SET completed_at = ?, closed_reason = ?, last_error = NULL WHERE execution_id = ? AND completed_at IS NULL'),
    retry: db.prepare('UPDATE workflow_waits SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE execution_id = ?'),
    get: db.prepare<[string], WaitRow>('SELECT * FROM workflow_waits WHERE execution_id = ?'),
    purge: db.prepare('DELETE FROM workflow_waits WHERE completed_at IS NOT NULL AND completed_at < ?'),
  };
  return {
    /** False when this execution already waits (Slack delivered the step twice). */
    insert: (w: NewWait): boolean =>
      q.insert.run({
        execution_id: w.executionId,
        verification_id: w.verificationId,
        team_id: w.teamId ?? null,
        user_id: w.userId ?? null,
        started_at: w.nowMs,
      }).changes > 0,
    /** The verification ended: every wait on it is due to be completed with this state. */
    settle: (verificationId: string, final: { status: string; subStatus: string; finalReason: FinalReason }, nowMs: number): number =>
      q.settle.run({ verification_id: verificationId, status: final.status, sub_status: final.subStatus, final_reason: final.finalReason, at: nowMs })
        .changes,
    /** Settled waits whose completion Slack has not confirmed, due now. */
    due: (nowMs: number, limit: number): WaitRow[] => q.due.all(nowMs, limit),
    close: (executionId: string, reason: string, nowMs: number) => void q.closed.run(nowMs, reason, executionId),
    retryAt: (executionId: string, error: string, nextAttemptAt: number) => void q.retry.run(error.slice(0, 500), nextAttemptAt, executionId),
    get: (executionId: string): WaitRow | undefined => q.get.get(executionId),
    purgeClosedBefore: (cutoffMs: number): number => q.purge.run(cutoffMs).changes,
  };
}
