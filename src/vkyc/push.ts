/** Decisions about what a Cashfree webhook means for a verification: no I/O, no clock of its own. */
import type { ObservedState } from './lifecycle.js';
import type { VkycState } from './types.js';

/** A failure or a rejection: the `failures` class of a channel rule (src/vkyc/rules.ts). */
export function isFailure(state: ObservedState): boolean {
  const status = state.status.toUpperCase();
  const sub = state.subStatus.toUpperCase();
  return ['REJECTED', 'FAILED', 'AUDITOR_REJECTED'].includes(status) || /FAIL|REJECT|DROPOFF/.test(sub);
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
