import { isAbandoned } from './lifecycle.js';
import { PRE_CALL_CHECK_FAILURES } from './phases.js';

/**
 * When a verification may be started again as a new one (Cashfree's own advice for an expired link is a
 * new request; it has no resend). Only a journey that ended before the video call qualifies: nothing a
 * customer or an agent decided is undone.
 */

/** Why a final state may be started again. */
export type RestartReason = 'link_expired' | 'pre_call_failed';

/**
 * Sub-statuses that name a pre-call check the customer failed (Cashfree's status table, §5). Under
 * `FAILED` they end the journey for good; the same codes under `PRE_VIDEO_CALL` still let the customer
 * retry on the same link, so they qualify only once that link has expired (link_expired).
 */
const PRE_CALL_FAILURES: ReadonlySet<string> = new Set([...PRE_CALL_CHECK_FAILURES, 'NO_AGENT_FOUND']);

/**
 * Whether this state may be started again, and why; undefined otherwise:
 * - `link_expired`: Cashfree says `EXPIRED`, or the link's expiry passed while the customer was still in
 *   `RECEIVED` or `PRE_VIDEO_CALL` (the bot ends tracking there too: src/vkyc/lifecycle.ts);
 * - `pre_call_failed`: `FAILED` with a pre-call check's sub-status.
 * Anything from the video call on (approved, rejected, under review, a `FAILED` call) never qualifies,
 * nor does a state without the Cashfree user it would restart for.
 */
export function restartReason(
  state: { status: string; subStatus: string; linkExpiry: string | undefined; userId: string | undefined },
  nowMs: number,
): RestartReason | undefined {
  if (state.userId === undefined || state.userId === '') return undefined;
  const status = state.status.toUpperCase();
  if (status === 'EXPIRED' || isAbandoned(status, state.linkExpiry, nowMs)) return 'link_expired';
  if (status === 'FAILED' && PRE_CALL_FAILURES.has(state.subStatus.toUpperCase())) return 'pre_call_failed';
  return undefined;
}
