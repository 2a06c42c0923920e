import type { CashfreeClient } from '../cashfree/client.js';
import { CashfreeError } from '../cashfree/schemas.js';
import type { Logger } from '../log.js';
import type { VerificationRow } from '../store/store.js';
import { finalReasonFor, nextPollAt, type PollOutcome } from '../vkyc/lifecycle.js';
import type { RequestBudget } from './budget.js';
import { deliverPending, refreshStaleParents, type DeliveryDeps } from './deliver.js';
import { runPool } from './pool.js';

export interface PollerDeps extends DeliveryDeps {
  cashfree: CashfreeClient;
  budget: RequestBudget;
  concurrency: number;
  terminalStatuses: readonly string[];
  /** A tick stops taking new work after this long; the rest stays due for the next tick. */
  tickMaxMs: number;
}

export interface TickStats {
  polled: number;
  changed: number;
  failed: number;
  posted: number;
  postFailed: number;
  /** Due verifications left for a later tick because the request budget ran out. */
  deferred: boolean;
  ms: number;
}

const CLAIM_BATCH = 100;
/** When Cashfree says 429 without saying how long to wait. */
const DEFAULT_RATE_LIMIT_PAUSE_MS = 10_000;

/**
 * One poll tick: post what earlier ticks could not, then fetch every due
 * verification once (least recently polled first) within the request budget,
 * record each change and post it in its threads.
 */
export async function runTick(deps: PollerDeps, signal?: AbortSignal): Promise<TickStats> {
  const started = deps.now();
  const deadline = started + deps.tickMaxMs;
  const stats: TickStats = { polled: 0, changed: 0, failed: 0, posted: 0, postFailed: 0, deferred: false, ms: 0 };
  const addDelivery = ({ posted, failed }: { posted: number; failed: number }) => {
    stats.posted += posted;
    stats.postFailed += failed;
  };

  addDelivery(await deliverPending(deps, deps.store.pendingDeliveries()));
  await refreshStaleParents(deps);

  let claimed: VerificationRow[] = [];
  let exhausted = false;
  /** Ends the polling part of the tick; claimed but unpolled verifications stay due for the next one. */
  const finish = (unpolled: VerificationRow[], deferred: boolean) => {
    exhausted = true;
    stats.deferred ||= deferred;
    for (const row of [...unpolled, ...claimed.splice(0)]) deps.store.releaseClaim(row.verification_id);
  };
  const next = async (): Promise<VerificationRow | undefined> => {
    if (exhausted) return undefined;
    if (signal?.aborted || deps.now() >= deadline) return void finish([], true);
    if (claimed.length === 0) claimed = deps.store.claimDue(started, CLAIM_BATCH);
    const row = claimed.shift();
    if (row === undefined) return void finish([], false);
    if (!(await deps.budget.take(deadline, signal, 'background'))) return void finish([row], true);
    return row;
  };

  await runPool(deps.concurrency, next, async (row) => {
    const outcome = await pollOne(deps, row);
    stats.polled += 1;
    if (outcome === 'changed') stats.changed += 1;
    if (outcome === 'failed') stats.failed += 1;
    if (outcome === 'changed') addDelivery(await deliverPending(deps, deps.store.pendingDeliveriesFor(row.verification_id)));
  });

  stats.ms = deps.now() - started;
  return stats;
}

async function pollOne(deps: PollerDeps, row: VerificationRow): Promise<'changed' | 'unchanged' | 'failed'> {
  try {
    const state = await deps.cashfree.getVkycStatus({ verificationId: row.verification_id }, { retry: false });
    const now = deps.now();
    const finalReason = finalReasonFor(state.status, state.linkExpiry, deps.terminalStatuses, now);
    const change = deps.store.recordObservation({ state: { ...state, verificationId: row.verification_id }, nowMs: now, finalReason });
    return change === undefined ? 'unchanged' : 'changed';
  } catch (error) {
    const e =
      error instanceof CashfreeError ? error : new CashfreeError(0, 'internal_error', 'unexpected', (error as Error).message);
    const now = deps.now();
    let outcome: PollOutcome = { kind: 'failed' };
    if (e.isRateLimit) {
      deps.budget.pauseUntil(now + (e.retryAfterMs ?? DEFAULT_RATE_LIMIT_PAUSE_MS));
      outcome = { kind: 'rate_limited', retryAfterMs: e.retryAfterMs };
    }
    const attempts = row.attempts + 1;
    const retryAt = nextPollAt(outcome, attempts, now, deps.backoff);
    deps.store.pollFailed(row.verification_id, `${e.code}: ${e.message}`, retryAt);
    deps.logger.warn('status check failed; will retry', {
      verification_id: row.verification_id,
      cashfree_status: e.status,
      cashfree_code: e.code,
      attempts,
      retry_in_ms: retryAt - now,
    });
    return 'failed';
  }
}
