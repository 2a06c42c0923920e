/** Decisions about what a Cashfree webhook means for a verification: no I/O, no clock of its own. */
import type { ObservedState } from './lifecycle.js';
import type { VkycState } from './types.js';

export type SubscriptionFilter = 'all' | 'failures';

/** A failure or a rejection: the states a `/kyc subscribe failures` channel wants to hear about. */
export function isFailure(state: ObservedState): boolean {
  const status = state.status.toUpperCase();
  const sub = state.subStatus.toUpperCase();
  return ['REJECTED', 'FAILED', 'AUDITOR_REJECTED'].includes(status) || /FAIL|REJECT|DROPOFF/.test(sub);
}

/** Whether a subscribed channel should open a card for a verification in this state. */
export function wantsCard(filter: SubscriptionFilter, state: ObservedState): boolean {
  return filter === 'all' || isFailure(state);
}

/**
 * The state a webhook reports, if it should be recorded: it must carry one, and must not be older than what
 * the bot last observed (a late or replayed event never moves the thread backwards). An event without a
 * readable time counts as "now".
 */
export function pushedState(
  event: { state: VkycState | undefined; eventTime: number | undefined },
  lastObservedAt: number | undefined,
  nowMs: number,
): VkycState | undefined {
  if (event.state === undefined) return undefined;
  const at = event.eventTime ?? nowMs;
  if (lastObservedAt !== undefined && at < lastObservedAt) return undefined;
  return event.state;
}
