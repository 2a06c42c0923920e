/** Is a verification stuck, is its link about to expire: decisions with an explicit clock, no I/O. */

/**
 * Waits where someone other than the customer must act, or where the customer hit a check they can retry:
 * queued for an agent, no agent free, a finished call awaiting review, a review awaiting the auditor,
 * and pre-call failures the customer has not got past.
 */
const WAITING_SUB_STATUSES = new Set([
  'USER_QUEUED',
  'SCHEDULED_USER_QUEUED',
  'NO_AGENT_FOUND',
  'USER_DEVICE_CHECK_SUCCESS',
  'AGENT_ASSIGNED_TO_USER',
  'CALL_COMPLETED',
  'AADHAAR_VERIFICATION_FAILED',
  'AADHAAR_VERIFICATION_EXPIRED',
  'USER_PROXY_DETECTED',
  'TECHNICAL_FAILURE',
  'USER_AUDIO_CHECK_FAILED',
  'USER_VIDEO_CHECK_FAILED',
  'USER_LOCATION_PERMISSION_DISABLED',
]);
const WAITING_STATUSES = new Set(['AGENT_REVIEWED']);

/** Statuses in which the customer has not started yet: a link expiring here is wasted. */
const NOT_STARTED_STATUSES = new Set(['RECEIVED']);

/** How long before `link_expiry` the team is told that an unused link is about to expire. */
export const EXPIRY_WARNING_MS = 60 * 60_000;

export function isWaitingState(status: string, subStatus: string): boolean {
  return WAITING_STATUSES.has(status.toUpperCase()) || WAITING_SUB_STATUSES.has(subStatus.toUpperCase());
}

export interface Wait {
  status: string;
  subStatus: string;
  /** When the bot first saw this status and sub-status. */
  sinceMs: number;
}

/** The verification has waited in one waiting state for at least `stuckAfterMs`. */
export function isStuck(wait: Wait, nowMs: number, stuckAfterMs: number): boolean {
  return isWaitingState(wait.status, wait.subStatus) && nowMs - wait.sinceMs >= stuckAfterMs;
}

/** The customer has not started and the link expires within `warnBeforeMs` (but has not expired yet). */
export function isLinkAboutToExpire(
  status: string,
  linkExpiry: string | null | undefined,
  nowMs: number,
  warnBeforeMs: number = EXPIRY_WARNING_MS,
): boolean {
  if (linkExpiry === null || linkExpiry === undefined || !NOT_STARTED_STATUSES.has(status.toUpperCase())) return false;
  const expiry = Date.parse(linkExpiry);
  return !Number.isNaN(expiry) && nowMs < expiry && expiry - nowMs <= warnBeforeMs;
}

/** Names one wait, so its note is sent once: a new status, or the same one seen again after a change, is a new wait. */
export function waitKey(wait: Wait): string {
  return `${wait.status}/${wait.subStatus}@${wait.sinceMs}`;
}
