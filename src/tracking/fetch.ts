import type { CashfreeClient, VkycLookup } from '../cashfree/client.js';
import { CashfreeError, type VkycState } from '../cashfree/schemas.js';
import type { Store } from '../store/store.js';
import type { RequestBudget } from './budget.js';

/** What a status check on an agent's behalf needs. */
export interface FetchDeps {
  store: Pick<Store, 'markUrgent' | 'verificationByReference'>;
  cashfree: Pick<CashfreeClient, 'getVkycStatus'>;
  budget: RequestBudget;
  now: () => number;
}

/** How long an agent may wait for a slot in the Cashfree budget before being told to retry. */
const BUDGET_WAIT_MS = 5_000;

export class BudgetExhausted extends Error {
  override name = 'BudgetExhausted';
  constructor(readonly waitMs: number) {
    super('the Cashfree request budget is used up for now');
  }
}

/**
 * Asks Cashfree for a verification's current state, within the shared request budget, waiting up to `waitMs` for
 * a slot (an owner's DM that needs the remarks does not wait: it is tried again at a later tick).
 */
export async function fetchVkyc(deps: FetchDeps, target: VkycLookup, waitMs: number = BUDGET_WAIT_MS): Promise<VkycState> {
  // An agent is waiting: this request may use the token that background polls leave.
  if (!(await deps.budget.take(deps.now() + waitMs, undefined, 'interactive'))) {
    // The agent is told to retry; a tracked verification is polled before any other as soon as the budget allows.
    const verificationId = localVerificationId(deps, target);
    if (verificationId !== undefined) deps.store.markUrgent(verificationId);
    throw new BudgetExhausted(deps.budget.msUntilFree(undefined, 'interactive'));
  }
  try {
    return await deps.cashfree.getVkycStatus(target, { retry: true });
  } catch (error) {
    if (error instanceof CashfreeError && error.isRateLimit) {
      deps.budget.pauseUntil(deps.now() + (error.retryAfterMs ?? 10_000));
    }
    throw error;
  }
}

/** The verification id a target names, using the store for `ref:` targets. */
export function localVerificationId(deps: FetchDeps, target: VkycLookup): string | undefined {
  if ('verificationId' in target) return target.verificationId;
  return deps.store.verificationByReference(Number(target.referenceId))?.verification_id;
}
