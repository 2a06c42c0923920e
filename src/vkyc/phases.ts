/** Where a verification stands, in the words a team uses: no I/O, no clock of its own. */

export type Phase = 'customer' | 'call' | 'review' | 'ended';

export const PHASES: readonly Phase[] = ['customer', 'call', 'review', 'ended'];

/** Sub-statuses where the customer waits for an agent, or is with one. */
const CALL_SUB_STATUSES = new Set(['USER_QUEUED', 'SCHEDULED_USER_QUEUED', 'NO_AGENT_FOUND', 'AGENT_ASSIGNED_TO_USER']);
/** Statuses after the call and before the final decision. */
const REVIEW_STATUSES = new Set(['AGENT_REVIEWED']);
const ENDED_STATUSES = new Set(['APPROVED', 'REJECTED', 'EXPIRED', 'FAILED']);
const DECIDED_SUB_STATUSES = new Set(['AUDITOR_APPROVED', 'AUDITOR_REJECTED', 'APPROVED', 'REJECTED']);

export function phaseOf(status: string, subStatus: string): Phase {
  const s = status.toUpperCase();
  const sub = subStatus.toUpperCase();
  if (ENDED_STATUSES.has(s) || DECIDED_SUB_STATUSES.has(sub)) return 'ended';
  if (REVIEW_STATUSES.has(s) || s === 'AUDITOR_REVIEWED') return 'review';
  // A finished call waits for review; anything else in VIDEO_CALL is the call itself.
  if (s === 'VIDEO_CALL') return sub === 'CALL_COMPLETED' ? 'review' : 'call';
  if (CALL_SUB_STATUSES.has(sub)) return 'call';
  return 'customer';
}

export type Outcome = 'approved' | 'rejected' | 'expired' | 'other';

/** How a final status reads in a digest. */
export function outcomeOf(status: string, subStatus: string, finalReason: string | null): Outcome {
  const s = status.toUpperCase();
  const sub = subStatus.toUpperCase();
  if (finalReason === 'link_expired' || s === 'EXPIRED' || sub === 'VKYC_EXPIRED') return 'expired';
  if (s === 'APPROVED' || sub === 'AUDITOR_APPROVED' || sub === 'APPROVED') return 'approved';
  if (s === 'REJECTED' || s === 'FAILED' || sub === 'AUDITOR_REJECTED' || sub === 'REJECTED') return 'rejected';
  return 'other';
}

/** Midnight of `nowMs`'s day in `timeZone` (zones without a DST jump that day; true for Asia/Kolkata). */
export function startOfDayMs(nowMs: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).formatToParts(
    new Date(nowMs),
  );
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? '0');
  return nowMs - (nowMs % 1000) - ((part('hour') * 60 + part('minute')) * 60 + part('second')) * 1000;
}

/** Pre-call checks the customer failed (Cashfree's status table): under PRE_VIDEO_CALL they may retry on the same link. */
export const PRE_CALL_CHECK_FAILURES: ReadonlySet<string> = new Set([
  'AADHAAR_VERIFICATION_FAILED',
  'AADHAAR_VERIFICATION_EXPIRED',
  'USER_PROXY_DETECTED',
  'TECHNICAL_FAILURE',
  'USER_LOCATION_OUTSIDE_INDIA',
  'USER_AUDIO_CHECK_FAILED',
  'USER_VIDEO_CHECK_FAILED',
  'USER_LOCATION_PERMISSION_DISABLED',
]);
