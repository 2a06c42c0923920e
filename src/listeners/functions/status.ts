import { statusOutputs } from '../../slack/workflow-steps.js';
import { say } from '../../text/words.js';
import { fetchVkyc } from '../../tracking/fetch.js';
import { observe } from '../../tracking/observe.js';
import type { CommandDeps } from '../context.js';
import { parseTarget } from '../target.js';
import { textInput, type StepDefinition } from './step.js';

/**
 * *Get Video KYC status*: asks Cashfree now, within the shared request budget as `/kyc status` does, and
 * completes with the status codes and phase. A change it reveals is recorded for the threads that follow it.
 */
export function statusStep(deps: CommandDeps): StepDefinition {
  return {
    step: 'status',
    needsPerson: false,
    async run(run) {
      const target = parseTarget(textInput(run.inputs, 'verification') ?? '');
      if (target === undefined) return { fail: say.workflow.badVerification, outcome: { result: 'invalid' } };
      const state = await fetchVkyc(deps, target);
      const known = deps.store.verification(state.verificationId);
      if (known !== undefined && known.next_poll_at !== null) observe(deps, state);
      return { complete: statusOutputs(state) };
    },
  };
}
