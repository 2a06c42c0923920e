/** Which events need a verification's owner, and whether one still does: decisions with an explicit clock, no I/O. */
import { isLinkAboutToExpire } from './alerts.js';
import { outcomeOf, PRE_CALL_CHECK_FAILURES, phaseOf } from './phases.js';

/** The DMs an owner can get, in the order App Home lists them. */
export const OWNER_DM_KINDS = ['call_soon', 'dropoff', 'precheck_failed', 'rejected', 'expiring', 'sla'] as const;
export type OwnerDmKind = (typeof OWNER_DM_KINDS)[number];

export function isOwnerDmKind(value: string): value is OwnerDmKind {
  return (OWNER_DM_KINDS as readonly string[]).includes(value);
}

/** An agent's App Home choices; quiet hours apply only once both ends are chosen (see quietHoursOf). */
export interface OwnerSettings {
  mutedKinds: readonly OwnerDmKind[];
  /** Minutes after midnight in KYC_TIMEZONE, or null when not chosen. */
  quietFrom: number | null;
  quietUntil: number | null;
}

export const DEFAULT_OWNER_SETTINGS: OwnerSettings = { mutedKinds: [], quietFrom: null, quietUntil: null };

/** How long before a scheduled call its owner is told. */
export const CALL_SOON_MS = 10 * 60_000;


export interface ObservedChange {
  status: string;
  subStatus: string;
  previousStatus: string | null;
  previousSubStatus: string | null;
  finalReason: string | null;
}

/**
 * The DM a change calls for, if any. A rejection is a final status that reads as rejected (rejected, failed, the
 * auditor's rejection). A drop-off is a customer who was queued for or in the call and is back before the queue
 * (Cashfree's VKYC_USER_DROPOFF_FROM_CALL has no status of its own), or left the queue with no agent free.
 */
export function ownerDmForChange(change: ObservedChange): OwnerDmKind | undefined {
  if (change.finalReason !== null) return outcomeOf(change.status, change.subStatus, change.finalReason) === 'rejected' ? 'rejected' : undefined;
  const sub = change.subStatus.toUpperCase();
  if (PRE_CALL_CHECK_FAILURES.has(sub)) return 'precheck_failed';
  if (sub === 'NO_AGENT_FOUND') return 'dropoff';
  const wasInCall = change.previousStatus !== null && phaseOf(change.previousStatus, change.previousSubStatus ?? '') === 'call';
  return wasInCall && phaseOf(change.status, change.subStatus) === 'customer' ? 'dropoff' : undefined;
}

export interface WatchedState {
  status: string;
  subStatus: string;
  linkExpiry: string | null;
  meetingSchedule: string | null;
}

/** DMs that a moment calls for (a call about to start, an unused link about to expire), each with the key that makes it once-only. */
export function ownerDmsDueAt(state: WatchedState, nowMs: number): { kind: OwnerDmKind; key: string }[] {
  const due: { kind: OwnerDmKind; key: string }[] = [];
  if (isCallSoon(state, nowMs)) due.push({ kind: 'call_soon', key: state.meetingSchedule ?? '' });
  if (isLinkAboutToExpire(state.status, state.linkExpiry, nowMs)) due.push({ kind: 'expiring', key: state.linkExpiry ?? '' });
  return due;
}

/** A call is booked, the customer is not in it yet, and it starts within CALL_SOON_MS. */
export function isCallSoon(state: Pick<WatchedState, 'status' | 'subStatus' | 'meetingSchedule'>, nowMs: number): boolean {
  if (state.meetingSchedule === null || phaseOf(state.status, state.subStatus) !== 'customer') return false;
  const at = Date.parse(state.meetingSchedule);
  return !Number.isNaN(at) && nowMs < at && at - nowMs <= CALL_SOON_MS;
}

/**
 * Whether a DM held back (quiet hours, Slack failing) is still worth sending: a call that has started or a link that
 * has expired is old news. What happened to the customer stays news until the owner has read it.
 */
export function isStillNews(kind: OwnerDmKind, eventKey: string, nowMs: number): boolean {
  if (kind !== 'call_soon' && kind !== 'expiring') return true;
  const at = Date.parse(eventKey);
  return Number.isNaN(at) || nowMs < at;
}
