/**
 * Which changes a condensed channel's thread gets: the milestones of a journey. No I/O.
 *
 * - link opened: the customer leaves RECEIVED (their first step on the link);
 * - queued: the customer joins the agent queue (USER_QUEUED, SCHEDULED_USER_QUEUED);
 * - call started: an agent takes the customer (AGENT_ASSIGNED_TO_USER, Cashfree's VKYC_USER_CALL_STARTED), or
 *   VIDEO_CALL is reached without that being seen first;
 * - decision: the agent's review (AGENT_REVIEWED) and any final decision;
 * - expiry: the link expired;
 * - and any change that ends tracking, whatever Cashfree called it.
 * Everything else (each pre-call check, a scheduled slot, the call completed, codes the bot does not know)
 * only updates the card.
 */
import { phaseOf } from './phases.js';

export interface MilestoneChange {
  status: string;
  sub_status: string;
  previous_status: string | null;
  previous_sub_status: string | null;
  final_reason: string | null;
}

export type Milestone = 'link_opened' | 'queued' | 'call_started' | 'decision' | 'expiry';

const QUEUED = new Set(['USER_QUEUED', 'SCHEDULED_USER_QUEUED']);
const CALL_STARTED = 'AGENT_ASSIGNED_TO_USER';

/** The milestone a change is, or undefined when a condensed thread skips it. */
export function milestoneOf(change: MilestoneChange): Milestone | undefined {
  const status = change.status.toUpperCase();
  const sub = change.sub_status.toUpperCase();
  const before = change.previous_status?.toUpperCase() ?? null;
  if (change.final_reason === 'link_expired' || status === 'EXPIRED' || sub === 'VKYC_EXPIRED') return 'expiry';
  if (change.final_reason !== null || status === 'AGENT_REVIEWED' || phaseOf(status, sub) === 'ended') return 'decision';
  const previousSub = change.previous_sub_status?.toUpperCase() ?? null;
  if (sub === CALL_STARTED && previousSub !== CALL_STARTED) return 'call_started';
  if (status === 'VIDEO_CALL' && before !== 'VIDEO_CALL' && previousSub !== CALL_STARTED) return 'call_started';
  if (QUEUED.has(sub) && previousSub !== sub) return 'queued';
  if (before === 'RECEIVED' && status !== 'RECEIVED') return 'link_opened';
  return undefined;
}

/** Whether this channel's thread gets a reply for the change. */
export function postsInThread(change: MilestoneChange, condensed: boolean): boolean {
  return !condensed || milestoneOf(change) !== undefined;
}
