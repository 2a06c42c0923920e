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

/**
 * The moment a `link_expiry` means, as an ISO instant. Cashfree names a calendar day: a date only in its
 * webhooks ("2025-06-21"), midnight UTC in GET /vkyc ("2025-06-21T00:00:00.000Z", every documented example).
 * A customer told their link works until 21 June expects it to work all that day in India, so a day means
 * its last millisecond in IST: "2025-06-21T18:29:59.999Z". Reading it as midnight UTC instead would end
 * tracking 18½ hours early, while the customer can still finish. Any other time is taken at its word;
 * text that is no date is kept as it is. The wire schema applies this, so every path sees the same instant.
 */
export function linkExpiryInstant(value: string): string {
  const day = DAY_ONLY.exec(value)?.[1];
  if (day === undefined) return value;
  const end = Date.parse(`${day}T23:59:59.999+05:30`);
  return Number.isNaN(end) ? value : new Date(end).toISOString();
}

/** A date, alone or at exactly midnight UTC: how Cashfree writes a day. */
const DAY_ONLY = /^(\d{4}-\d{2}-\d{2})(?:T00:00(?::00(?:\.0{1,3})?)?(?:Z|\+00:?00))?$/;

/** The link expired while the customer never got past the pre-call checks (`linkExpiry`: an instant, see linkExpiryInstant). */
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
