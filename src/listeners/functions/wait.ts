import { waitCompletion } from '../../slack/workflow-steps.js';
import { verificationFromRow } from '../../store/store.js';
import { say } from '../../text/words.js';
import { fetchVkyc, localVerificationId } from '../../tracking/fetch.js';
import { finalReasonOf, observe } from '../../tracking/observe.js';
import type { VkycState } from '../../vkyc/types.js';
import type { CommandDeps } from '../context.js';
import { parseTarget, type Target } from '../target.js';
import { textInput, type StepDefinition, type StepResult, type StepRun } from './step.js';

/**
 * *Wait for a Video KYC outcome*: stays open until the verification ends. The wait is stored in SQLite
 * with Slack's execution id; the poller or a webhook records the final state (src/tracking/observe.ts
 * settles the wait with it) and the next poll tick completes the step (src/tracking/workflow-waits.ts).
 * A verification that has already ended completes the step at once.
 */
export function waitStep(deps: CommandDeps): StepDefinition {
  return {
    step: 'wait',
    needsPerson: false,
    async run(run) {
      const target = parseTarget(textInput(run.inputs, 'verification_id') ?? '');
      if (target === undefined) return { fail: say.workflow.badVerification, outcome: { result: 'invalid' } };
      const state = await currentState(deps, target);
      const finalReason = finalReasonOf(deps, state, deps.now());
      if (finalReason !== undefined) return completionNow(waitCompletion({ ...state, finalReason }));
      startWaiting(deps, run, state);
      return { open: true, outcome: { result: 'ok', code: 'waiting' } };
    },
  };
}

/** What the poller keeps current for a polled verification; otherwise Cashfree's answer now, within the budget, recorded. */
async function currentState(deps: CommandDeps, target: Target): Promise<VkycState> {
  const id = localVerificationId(deps, target);
  const known = id === undefined ? undefined : deps.store.verification(id);
  if (known !== undefined && known.next_poll_at !== null) return verificationFromRow(known);
  const state = await fetchVkyc(deps, target);
  observe(deps, state);
  return state;
}

/**
 * Records the wait (the verification is polled from now on). In the same transaction, a final state
 * recorded since the look-up (by the other replica's poller) settles it at once, so the wait cannot miss it.
 */
function startWaiting(deps: CommandDeps, run: StepRun, state: VkycState): void {
  const now = deps.now();
  deps.store.atomically(() => {
    const created = deps.store.startWaiting({ executionId: run.executionId, verificationId: state.verificationId, teamId: run.teamId, userId: run.userId, nowMs: now });
    if (!created) return;
    deps.store.audit({ actor: run.userId ?? 'workflow', teamId: run.teamId, action: 'workflow_wait_started', subject: state.verificationId, detail: run.executionId }, now);
    const latest = deps.store.verificationState(state.verificationId);
    const finalReason = latest === undefined ? undefined : finalReasonOf(deps, latest, now);
    if (latest !== undefined && finalReason !== undefined) {
      deps.store.waits.settle(latest.verificationId, { status: latest.status, subStatus: latest.subStatus, finalReason }, now);
    }
  });
}

function completionNow(completion: ReturnType<typeof waitCompletion>): StepResult {
  if ('outputs' in completion) return { complete: completion.outputs };
  return { fail: completion.error, outcome: { result: 'ok', code: 'link_expired' } };
}
