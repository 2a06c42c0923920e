import type { VkycState } from '../../cashfree/schemas.js';
import type { CommandDeps, Invocation, Outcome } from '../context.js';
import { BudgetExhausted, fetchVkyc } from '../../tracking/fetch.js';
import { say } from '../../text/words.js';
import { observe } from '../../tracking/observe.js';

/**
 * *Refresh* on a card: one status check now, through the same budgeted path as `/kyc status`. A change is
 * recorded like any poll's, so the normal delivery posts it in every thread that tracks the verification.
 */
export async function refreshFromCard(deps: CommandDeps, inv: Invocation, verificationId: string): Promise<Outcome> {
  const tracking = deps.store.activeTracking(verificationId, inv.channelId);
  if (tracking === undefined) {
    await inv.reply(say.notTracked(verificationId));
    return { result: 'ok', code: 'not_tracked' };
  }
  let state: VkycState;
  try {
    state = await fetchVkyc(deps, { verificationId });
  } catch (error) {
    if (!(error instanceof BudgetExhausted)) throw error;
    await inv.reply(say.refreshBudgetSpent(Math.max(1, Math.ceil(error.waitMs / 1000))));
    return { result: 'cashfree_error', code: 'budget_exhausted' };
  }
  const { change } = observe(deps, { ...state, verificationId }, deps.now(), inv.userId);
  await inv.reply(
    change === undefined
      ? say.refreshUnchanged(verificationId, state.status, state.subStatus)
      : say.refreshChanged(verificationId, state.status, state.subStatus),
  );
  return { result: 'ok', code: change === undefined ? 'unchanged' : 'changed' };
}
