import type { ChangeRow, Store } from '../store/store.js';
import { finalReasonFor, type FinalReason } from '../vkyc/lifecycle.js';
import type { VkycState } from '../vkyc/types.js';

export interface ObserveDeps {
  store: Pick<Store, 'recordObservation' | 'waits' | 'atomically'>;
  now: () => number;
  /** VKYC_TERMINAL_STATUSES: the one spelling of the policy every surface uses. */
  terminalStatuses: readonly string[];
}

export interface Observed {
  /** The change recorded (with one pending delivery per tracking thread); undefined when nothing changed. */
  change: ChangeRow | undefined;
  /** Set when this state ends tracking. */
  finalReason: FinalReason | undefined;
}

/**
 * What Cashfree says about a verification, recorded: whether this state ends
 * tracking is decided here, the only place the terminal-status policy meets the store.
 * `causedBy` names the agent whose own command or click asked (nobody is told of their own action).
 * A final state also settles every workflow step waiting for this outcome, in the same
 * transaction, so a crash can never leave a wait behind a verification that is no longer polled.
 */
export function observe(deps: ObserveDeps, state: VkycState, nowMs: number = deps.now(), causedBy?: string): Observed {
  const finalReason = finalReasonFor(state.status, state.linkExpiry, deps.terminalStatuses, nowMs);
  if (finalReason === undefined) return { change: deps.store.recordObservation({ state, nowMs, finalReason, causedBy }), finalReason };
  const change = deps.store.atomically(() => {
    const recorded = deps.store.recordObservation({ state, nowMs, finalReason, causedBy });
    deps.store.waits.settle(state.verificationId, { status: state.status, subStatus: state.subStatus, finalReason }, nowMs);
    return recorded;
  });
  return { change, finalReason };
}

/** Whether a state ends tracking, without recording it (a state seen before anything tracks it). */
export function finalReasonOf(deps: Pick<ObserveDeps, 'terminalStatuses'>, state: VkycState, nowMs: number): FinalReason | undefined {
  return finalReasonFor(state.status, state.linkExpiry, deps.terminalStatuses, nowMs);
}
