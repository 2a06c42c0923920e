import { AGE_BANDS_MS, type BoardClass, type DwellEvidence } from '../vkyc/dwell.js';
import type { Db } from './open.js';

/** Changes the evidence is read from: the most recent ones, so the read stays small however long the history. */
export const EVIDENCE_WINDOW = 20_000;

const [, B1 = 60_000, B2 = 600_000, B3 = 3_600_000] = AGE_BANDS_MS;

interface EvidenceRow {
  status: string;
  sub_status: string;
  e0: number;
  e1: number;
  e2: number;
  e3: number;
  x0: number;
  x1: number;
  x2: number;
  x3: number;
}

/**
 * How long verifications stayed in each state, from the recent change history:
 * each change starts a span that ends at the next change (an exit) or, while
 * the state lasts, at the last poll that still saw it (time in state, no exit).
 * A change is placed midway between the poll that saw it and the one before,
 * so that a state polled rarely does not look longer than it was.
 * A final state has no span. Split into the dwell model's age bands.
 */
export function createDwellQueries(db: Db) {
  const evidence = db.prepare<{ window: number }, EvidenceRow>(`
    WITH recent AS (
      -- When each state began, as best known: midway between the last poll that saw the one before and the poll that saw it.
      SELECT id, verification_id, status, sub_status, final_reason,
        CASE WHEN seen_before_at IS NULL THEN observed_at ELSE (seen_before_at + observed_at) / 2 END AS began_at
      FROM changes
      WHERE id > (SELECT coalesce(max(id), 0) FROM changes) - @window
    ), spans AS (
      SELECT r.status, r.sub_status, r.final_reason, r.verification_id, r.began_at AS entered,
        LEAD(r.began_at) OVER (PARTITION BY r.verification_id ORDER BY r.id) AS left_at
      FROM recent r
    ), durations AS (
      SELECT s.status, s.sub_status, s.left_at IS NOT NULL AS exited,
        CASE WHEN s.left_at IS NOT NULL THEN s.left_at - s.entered ELSE v.observed_at - s.entered END AS d
      FROM spans s LEFT JOIN verifications v ON s.left_at IS NULL AND v.verification_id = s.verification_id
      WHERE s.final_reason IS NULL
    )
    SELECT status, sub_status,
      sum(exited AND d < ${B1}) AS e0,
      sum(exited AND d >= ${B1} AND d < ${B2}) AS e1,
      sum(exited AND d >= ${B2} AND d < ${B3}) AS e2,
      sum(exited AND d >= ${B3}) AS e3,
      sum(min(d, ${B1})) AS x0,
      sum(max(0, min(d, ${B2}) - ${B1})) AS x1,
      sum(max(0, min(d, ${B3}) - ${B2})) AS x2,
      sum(max(0, d - ${B3})) AS x3
    FROM durations WHERE d >= 0 GROUP BY status, sub_status`);
  const board = db.prepare<{ now: number; pushedSince: number }, BoardClass>(`
    SELECT status, sub_status AS subStatus,
      CASE WHEN age < ${B1} THEN 0 WHEN age < ${B2} THEN 1 WHEN age < ${B3} THEN 2 ELSE 3 END AS band, count(*) AS count
    FROM (SELECT status, sub_status, @now - coalesce(changed_at, observed_at) AS age FROM verifications
          WHERE next_poll_at IS NOT NULL AND (pushed_at IS NULL OR pushed_at < @pushedSince))
    GROUP BY 1, 2, 3`);
  const bandEnd = (band: number) => AGE_BANDS_MS[band + 1] ?? Number.MAX_SAFE_INTEGER;
  const forward = db.prepare<{ status: string; subStatus: string; from: number; to: number; now: number; gap: number; pushedSince: number }>(`
    UPDATE verifications SET next_poll_at = observed_at + @gap
    WHERE status = @status AND sub_status = @subStatus AND next_poll_at > observed_at + @gap
      AND urgent = 0 AND in_flight = 0 AND (pushed_at IS NULL OR pushed_at < @pushedSince)
      AND @now - coalesce(changed_at, observed_at) >= @from AND @now - coalesce(changed_at, observed_at) < @to`);
  const bringForward = db.transaction((classes: readonly (BoardClass & { gapMs: number })[], nowMs: number, pushedSinceMs: number): number => {
    let moved = 0;
    for (const c of classes) {
      moved += forward.run({ status: c.status, subStatus: c.subStatus, from: AGE_BANDS_MS[c.band] ?? 0, to: bandEnd(c.band), now: nowMs, gap: c.gapMs, pushedSince: pushedSinceMs }).changes;
    }
    return moved;
  });
  return {
    /** Brings the next poll of these classes' verifications forward to their new, shorter gap; never later. */
    bringForward,
    dwellEvidence: (): DwellEvidence[] =>
      evidence.all({ window: EVIDENCE_WINDOW }).flatMap((row) =>
        [0, 1, 2, 3].map((band) => ({
          status: row.status,
          subStatus: row.sub_status,
          band,
          exits: Number(row[`e${band}` as 'e0']),
          exposureMs: Number(row[`x${band}` as 'x0']),
        })),
      ),
    /** Polled verifications by state and age band; those webhooks cover are left out (polling is their safety net). */
    pollBoard: (nowMs: number, pushedSinceMs: number): BoardClass[] => board.all({ now: nowMs, pushedSince: pushedSinceMs }),
  };
}
