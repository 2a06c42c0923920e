/** Decisions about a VKYC verification's journey: no I/O, no clock of its own. */

export interface ObservedState {
  status: string;
  subStatus: string;
}

export function hasChanged(previous: ObservedState | undefined, next: ObservedState): boolean {
  return previous === undefined || previous.status !== next.status || previous.subStatus !== next.subStatus;
}

export function isTerminal(status: string, terminalStatuses: readonly string[]): boolean {
  return terminalStatuses.includes(status.toUpperCase());
}

/** Statuses from which an expired link can no longer lead anywhere. */
const PRE_CALL_STATUSES = ['RECEIVED', 'PRE_VIDEO_CALL'];

/** The link expired while the customer never got past the pre-call checks. */
export function isAbandoned(status: string, linkExpiry: string | undefined, nowMs: number): boolean {
  if (linkExpiry === undefined || !PRE_CALL_STATUSES.includes(status.toUpperCase())) return false;
  const expiry = Date.parse(linkExpiry);
  return !Number.isNaN(expiry) && expiry <= nowMs;
}

/** Why tracking ends with an observation. */
export type FinalReason = 'terminal' | 'link_expired';

/** Whether this state ends tracking, and why; undefined while the journey can still move. */
export function finalReasonFor(
  status: string,
  linkExpiry: string | undefined,
  terminalStatuses: readonly string[],
  nowMs: number,
): FinalReason | undefined {
  if (isTerminal(status, terminalStatuses)) return 'terminal';
  if (isAbandoned(status, linkExpiry, nowMs)) return 'link_expired';
  return undefined;
}

export interface Backoff {
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: Backoff = { baseMs: 15_000, maxMs: 15 * 60_000 };

/** Backoff for a Slack post that failed and stays pending. */
export function nextDeliveryAt(attempts: number, nowMs: number, backoff: Backoff, retryAfterMs?: number): number {
  if (retryAfterMs !== undefined) return nowMs + Math.min(backoff.maxMs, retryAfterMs);
  return nowMs + Math.min(backoff.maxMs, (backoff.baseMs / 15) * 2 ** Math.max(0, attempts - 1));
}
