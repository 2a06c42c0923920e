import type { WebClient } from '@slack/web-api';
import type { CashfreeClient } from '../cashfree/client.js';
import { CashfreeError } from '../cashfree/schemas.js';
import type { Logger } from '../log.js';
import type { SlackPostKind, SlackPostOutcome } from '../metrics.js';
import { SlackHeldBack, slackFailure } from '../slack/failures.js';
import { ownerDmMessage, type OwnerDm } from '../slack/owner-dm.js';
import type { OwnerDmRow } from '../store/owners.js';
import type { ChangeRow, Store } from '../store/store.js';
import { ownerWords } from '../text/words.js';
import { isStillNews, ownerDmForChange, ownerDmsDueAt } from '../vkyc/owner-notices.js';
import { quietHoursOf, sendableAt } from '../vkyc/quiet-hours.js';
import { parseBreachKey } from '../vkyc/sla.js';
import type { VkycRemarks } from '../vkyc/types.js';
import type { RequestBudget } from './budget.js';
import { openDirectMessage } from './dm.js';
import { BudgetExhausted, fetchVkyc } from './fetch.js';
import { pacedCall, type SlackPacer } from './pacing.js';

/**
 * A verification's owner, and what they are told. The owner is whoever started it with `/kyc vkyc`, else the
 * first agent who tracked it with `/kyc track`; cards a subscription opens make nobody the owner, and ownership
 * never moves. The owner gets a DM when something needs them and is mentioned in the thread on the final state,
 * except for what their own command or click revealed. Every DM is recorded before it is sent, once per event.
 */
export interface OwnerDeps {
  store: Store;
  slack: WebClient;
  slackPacer: SlackPacer;
  logger: Logger;
  now: () => number;
  cashfree: Pick<CashfreeClient, 'getVkycStatus'>;
  budget: RequestBudget;
  /** KYC_TIMEZONE: quiet hours are read in it. */
  timeZone: string;
  /** Told of every DM posted or failed, for the metrics. */
  onSlackPost?: (kind: SlackPostKind, outcome: SlackPostOutcome) => void;
}

/** Changes looked at per batch, and batches per tick: a backlog after downtime drains over a few ticks. */
const SCAN_BATCH = 200;
const SCAN_BATCHES = 5;
/** DMs sent per tick at most. */
const DMS_PER_TICK = 10;
const RETRY_BASE_MS = 30_000;
const RETRY_MAX_MS = 15 * 60_000;
/** A rejection's remarks are asked for this many times before the DM goes without them. */
const REMARKS_ATTEMPTS = 3;
/** Slack's answers that no retry can change: the DM is given up, and logged. */
const UNDELIVERABLE = new Set(['user_not_found', 'user_disabled', 'cannot_dm_bot', 'channel_not_found', 'is_archived']);

export function claimOwnership(store: Pick<Store, 'owners'>, claim: { verificationId: string; userId: string; how: 'started' | 'tracked'; nowMs: number }): void {
  if (claim.how === 'started') store.owners.claimStarted(claim.verificationId, claim.userId, claim.nowMs);
  else store.owners.claimTracked(claim.verificationId, claim.userId, claim.nowMs);
}

/** The mention a final reply carries: its owner's, unless the owner's own command or click revealed it. */
export function finalStateMention(store: Pick<Store, 'owners'>, change: Pick<ChangeRow, 'id' | 'verification_id' | 'final_reason'>): string | undefined {
  if (change.final_reason === null) return undefined;
  const owner = store.owners.ownerOf(change.verification_id);
  return owner === undefined || owner === store.owners.causeOf(change.id) ? undefined : ownerWords.finalMention(owner);
}

/** The mention a "stopped tracking" note carries when someone other than the owner stopped it. */
export function stoppedMention(store: Pick<Store, 'owners'>, verificationId: string, by: string): string | undefined {
  const owner = store.owners.ownerOf(verificationId);
  return owner === undefined || owner === by ? undefined : ownerWords.stoppedMention(owner);
}

/** Records the DMs that new changes call for, moving the scan past them in the same transaction. */
export function recordChangeDms(deps: Pick<OwnerDeps, 'store' | 'now'>): number {
  let recorded = 0;
  for (let batch = 0; batch < SCAN_BATCHES; batch += 1) {
    const seen = deps.store.owners.scanChanges(SCAN_BATCH, (changes) => {
      for (const change of changes) {
        // Nobody owns it, or the owner's own command or click revealed it: nobody to tell.
        if (change.owner === null || change.owner === change.caused_by) continue;
        const kind = ownerDmForChange({
          status: change.status,
          subStatus: change.sub_status,
          previousStatus: change.previous_status,
          previousSubStatus: change.previous_sub_status,
          finalReason: change.final_reason,
        });
        if (kind === undefined) continue;
        const dm = { verificationId: change.verification_id, userId: change.owner, kind, eventKey: `change:${change.id}` };
        if (deps.store.owners.recordDm({ ...dm, status: change.status, subStatus: change.sub_status, nowMs: deps.now() })) recorded += 1;
      }
    });
    if (seen < SCAN_BATCH) break;
  }
  return recorded;
}

/** Records the DMs that this moment calls for: a call about to start, an unused link about to expire. */
export function recordMomentDms(deps: Pick<OwnerDeps, 'store' | 'now'>): number {
  const now = deps.now();
  let recorded = 0;
  for (const owned of deps.store.owners.ownedStates()) {
    const state = { status: owned.status, subStatus: owned.sub_status, linkExpiry: owned.link_expiry, meetingSchedule: owned.meeting_schedule };
    for (const { kind, key } of ownerDmsDueAt(state, now)) {
      const dm = { verificationId: owned.verification_id, userId: owned.user_id, kind, eventKey: key, status: owned.status, subStatus: owned.sub_status };
      if (deps.store.owners.recordDm({ ...dm, nowMs: now })) recorded += 1;
    }
  }
  return recorded;
}

/**
 * Sends the DMs that are due, in the order they were due. Each is checked at sending time against the owner's
 * settings (a kind turned off is dropped; quiet hours move it to their end) and against the clock (a call that
 * has started is old news). It is marked done before the post, so a restart never repeats it; a failed post
 * clears the mark and is retried with backoff.
 */
export async function sendOwnerDms(deps: OwnerDeps): Promise<number> {
  let sent = 0;
  for (const dm of deps.store.owners.dueDms(deps.now(), DMS_PER_TICK)) {
    if (await sendOne(deps, dm)) sent += 1;
  }
  return sent;
}

async function sendOne(deps: OwnerDeps, dm: OwnerDmRow): Promise<boolean> {
  const { owners } = deps.store;
  const now = deps.now();
  const settings = owners.settingsOf(dm.user_id);
  if (settings.mutedKinds.includes(dm.kind) || !isStillNews(dm.kind, dm.event_key, now)) {
    if (owners.claimDm(dm.id, now)) owners.finishDm(dm.id, settings.mutedKinds.includes(dm.kind) ? 'muted' : 'stale');
    return false;
  }
  const at = sendableAt(now, quietHoursOf(settings), deps.timeZone);
  if (at > now) {
    owners.deferDm(dm.id, at);
    return false;
  }
  const remarks = dm.kind === 'rejected' ? await remarksFor(deps, dm) : undefined;
  if (remarks !== undefined && 'waitMs' in remarks) {
    owners.deferDm(dm.id, now + remarks.waitMs, remarks.failure);
    return false;
  }
  if (!owners.claimDm(dm.id, now)) return false;
  const message = ownerDmMessage(describeDm(deps, dm, remarks?.remarks));
  try {
    const channel = await openDirectMessage(deps.slack, dm.user_id);
    await pacedCall(deps.slackPacer, { method: 'chat.postMessage', channel }, 0, () =>
      deps.slack.chat.postMessage({ channel, ...message, unfurl_links: false, unfurl_media: false }),
    );
    owners.finishDm(dm.id, 'sent');
    deps.onSlackPost?.('owner_dm', 'ok');
    return true;
  } catch (error) {
    const failure = slackFailure(error);
    const fields = { verification_id: dm.verification_id, user: dm.user_id, kind: dm.kind, slack_error: failure.code };
    if (error instanceof SlackHeldBack) {
      // Not sent, not failed: the DM channel's lane has no slot now.
      owners.deferDm(dm.id, now + error.retryAfterMs);
      deps.logger.debug('owner DM waits for the Slack rate limit', fields);
      return false;
    }
    const gone = UNDELIVERABLE.has(failure.code);
    if (gone) owners.finishDm(dm.id, 'undeliverable', failure.code);
    else owners.deferDm(dm.id, now + Math.min(RETRY_MAX_MS, (failure.retryAfterMs ?? RETRY_BASE_MS) * 2 ** dm.attempts), failure.code);
    deps.onSlackPost?.('owner_dm', gone ? 'gone' : 'failed');
    deps.logger.warn(gone ? 'owner DM cannot be delivered; given up' : 'owner DM not sent; will retry', fields);
    return false;
  }
}

function describeDm(deps: OwnerDeps, dm: OwnerDmRow, remarks: VkycRemarks | 'unavailable' | undefined): OwnerDm {
  const timed = dm.kind === 'call_soon' || dm.kind === 'expiring';
  const breach = dm.kind === 'sla' ? parseBreachKey(dm.event_key) : undefined;
  const thread = deps.store.owners.threadFor(dm.verification_id, dm.user_id);
  return {
    kind: dm.kind,
    verificationId: dm.verification_id,
    status: dm.status,
    subStatus: dm.sub_status,
    at: timed ? dm.event_key : breach === undefined ? undefined : new Date(breach.sinceMs).toISOString(),
    stage: breach?.stage,
    nowMs: deps.now(),
    thread: thread === undefined ? undefined : { permalink: thread.permalink, channelId: thread.channel_id },
    remarks,
  };
}

type Remarks = { remarks: VkycRemarks | 'unavailable' | undefined } | { waitMs: number; failure: string | undefined };

/**
 * A rejection's remarks, asked from Cashfree when the DM goes: they are free text and may hold personal data, so
 * the bot never stores them. No budget slot now means a later tick; Cashfree failing means a retry, and after a
 * few the DM goes without them (pointing to `/kyc status`).
 */
async function remarksFor(deps: OwnerDeps, dm: OwnerDmRow): Promise<Remarks> {
  try {
    const state = await fetchVkyc(deps, { verificationId: dm.verification_id }, 0);
    return { remarks: state.remarks };
  } catch (error) {
    if (error instanceof BudgetExhausted) return { waitMs: Math.max(1_000, error.waitMs), failure: undefined };
    const code = error instanceof CashfreeError ? error.code : 'error';
    deps.logger.warn('remarks for an owner DM not fetched', { verification_id: dm.verification_id, cashfree_error: code });
    if (dm.attempts + 1 < REMARKS_ATTEMPTS) return { waitMs: RETRY_BASE_MS, failure: `remarks: ${code}` };
    return { remarks: 'unavailable' };
  }
}

/** One pass for the tick: record what new changes and, when `moments`, the clock call for; then send what is due. */
export async function notifyOwners(deps: OwnerDeps, options: { moments: boolean }): Promise<number> {
  recordChangeDms(deps);
  if (options.moments) recordMomentDms(deps);
  return sendOwnerDms(deps);
}
