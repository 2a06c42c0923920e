import type { CashfreeClient } from '../cashfree/client.js';
import { CashfreeError, type VkycState } from '../cashfree/schemas.js';
import type { RequestBudget } from '../tracking/budget.js';
import { deliverPending, refreshParent, type DeliveryDeps } from '../tracking/deliver.js';
import { slackFailure } from '../slack/failures.js';
import { openTrackingCard } from '../tracking/card.js';
import { eventState, type WebhookEventRow } from '../store/push.js';
import { verificationFromRow } from '../store/store.js';
import { finalReasonOf, observe } from '../tracking/observe.js';
import { pushedState } from '../vkyc/push.js';
import { channelWants } from '../vkyc/rules.js';

export interface PushDeps extends DeliveryDeps {
  cashfree: CashfreeClient;
  budget: RequestBudget;
  terminalStatuses: readonly string[];
}

/** How long a webhook's confirming status check may wait for the request budget. */
const CONFIRM_BUDGET_WAIT_MS = 2_000;
/** An event that still cannot be understood after this many tries is dropped with a log line. */
const MAX_EVENT_ATTEMPTS = 20;

/**
 * Processes stored webhook deliveries, oldest first: asks Cashfree for the verification's state and records
 * the answer (or, when it cannot ask, what the event's data says, unless the bot already knows something
 * newer), opens cards in subscribed channels, and posts the changes in their threads. An event is marked
 * processed only once all of that is done, so a crash means it is processed again, and processing twice
 * changes nothing.
 */
export async function processWebhookEvents(deps: PushDeps): Promise<number> {
  let processed = 0;
  for (const event of deps.store.push.pendingEvents(50)) {
    const done = await processEvent(deps, event).catch((error: unknown) => {
      deps.logger.error('webhook processing failed; will retry', { event_id: event.id, error });
      return false;
    });
    if (done || event.attempts + 1 >= MAX_EVENT_ATTEMPTS) {
      if (!done) deps.logger.warn('webhook dropped after repeated failures', { event_id: event.id, event_type: event.event_type });
      deps.store.push.eventProcessed(event.id, deps.now());
      processed += 1;
    } else {
      deps.store.push.eventFailed(event.id);
    }
  }
  return processed;
}

async function processEvent(deps: PushDeps, event: WebhookEventRow): Promise<boolean> {
  const { store } = deps;
  const known =
    event.verification_id !== null
      ? store.verification(event.verification_id)
      : event.reference_id !== null
        ? store.verificationByReference(event.reference_id)
        : undefined;
  const verificationId = event.verification_id ?? known?.verification_id;
  const target = verificationId !== undefined ? { verificationId } : event.reference_id !== null ? { referenceId: String(event.reference_id) } : undefined;
  if (target === undefined) {
    deps.logger.warn('webhook names no verification; ignored', { event_id: event.id, event_type: event.event_type });
    return true;
  }

  if (known !== undefined) store.push.markPushed(known.verification_id, deps.now());

  // The check's answer is recorded whole, as a poll's would be; the event's own data only when no check can be made.
  const confirmed = await confirm(deps, target);
  const recorded = confirmed ?? reportedState(deps, event);
  if (recorded !== undefined) {
    observe(deps, recorded);
    store.push.markPushed(recorded.verificationId, deps.now());
  }
  if (confirmed === undefined && known !== undefined) store.push.pollSoon(known.verification_id, deps.now());

  const latestId = verificationId ?? recorded?.verificationId;
  const stored = latestId === undefined ? undefined : store.verification(latestId);
  if (stored === undefined) return false;
  const latest = verificationFromRow(stored);
  await openSubscribedCards(deps, latest);
  await deliverPending(deps, store.pendingDeliveriesFor(latest.verificationId));
  return true;
}

/**
 * What the event itself says, unless the bot has observed something newer since (a late event never moves a
 * thread back). A redelivery is dated by the first delivery of the same content, however Cashfree stamped it.
 */
function reportedState(deps: PushDeps, event: WebhookEventRow): VkycState | undefined {
  const state = eventState(event);
  const lastObservedAt = state === undefined ? undefined : deps.store.verification(state.verificationId)?.observed_at;
  return pushedState({ state, eventTime: deps.store.push.firstSentAt(event) }, lastObservedAt, deps.now());
}

/** A status check for the event, within the shared budget; undefined when it cannot be made now. */
async function confirm(deps: PushDeps, target: { verificationId: string } | { referenceId: string }): Promise<VkycState | undefined> {
  if (!(await deps.budget.take(deps.now() + CONFIRM_BUDGET_WAIT_MS, undefined, 'interactive'))) return undefined;
  try {
    return await deps.cashfree.getVkycStatus(target, { retry: true });
  } catch (error) {
    const e = error instanceof CashfreeError ? error : undefined;
    if (e?.isRateLimit === true) deps.budget.pauseUntil(deps.now() + (e.retryAfterMs ?? 10_000));
    deps.logger.warn('could not confirm a webhook with Cashfree; the poller will', { cashfree_status: e?.status, cashfree_code: e?.code ?? 'unexpected' });
    return undefined;
  }
}

/**
 * Opens the verification's card in every channel with a rule that matches it (src/vkyc/rules.ts) and that has
 * never tracked it (a channel where someone stopped tracking it is not re-opened by the next event). The card
 * is opened by the channel's first matching rule; its thread then follows the verification to the end.
 */
async function openSubscribedCards(deps: PushDeps, state: VkycState): Promise<void> {
  const channels = deps.store.channels.allRules();
  if (channels.size === 0) return;
  const finalReason = finalReasonOf(deps, state, deps.now());
  const facts = { state: { ...state, finalReason }, ...deps.store.channels.ruleFacts(state.verificationId) };
  for (const [channelId, rules] of channels) {
    if (deps.store.push.wasTrackedIn(state.verificationId, channelId)) continue;
    const rule = rules.find((r) => channelWants([r.rule], facts));
    if (rule === undefined) continue;
    try {
      const card = await openTrackingCard(deps, deps.slack, { state, channelId, teamId: rule.teamId, trackedBy: rule.setBy, openedByRule: true });
      if (!card.created) continue;
      deps.store.audit({ actor: rule.setBy, teamId: rule.teamId, channelId, action: 'tracking_started', subject: state.verificationId, detail: 'subscription' }, deps.now());
      if (finalReason !== undefined) {
        // Seen first at its end (a rule for outcomes, typically): the card shows it, nothing is left to follow.
        deps.store.endTracking(card.trackingId, state.verificationId, deps.now(), 'bot', finalReason);
        await refreshParent(deps, deps.store.tracking(card.trackingId));
      }
      deps.logger.info('card opened by a channel rule', { verification_id: state.verificationId, channel: channelId, rule_id: rule.id });
    } catch (error) {
      deps.logger.warn('could not open a card in a subscribed channel', { verification_id: state.verificationId, channel: channelId, slack_error: slackFailure(error).code });
    }
  }
}
