import { say } from '../text/words.js';
import { outcomeOf, phaseOf } from '../vkyc/phases.js';
import type { VkycState } from '../vkyc/types.js';

/**
 * The bot's Workflow Builder custom steps as Slack sees them: their callback ids and the outputs each
 * completes with, named and typed as `functions` in manifest.yml declares them (a test holds the two
 * together). Outputs carry ids and status codes only: Slack keeps a workflow's outputs, and a later
 * step may post them anywhere, so no customer detail or link ever goes into one.
 */
export const WORKFLOW_STEPS = {
  start: 'start_video_kyc',
  status: 'get_video_kyc_status',
  wait: 'wait_for_video_kyc_outcome',
} as const;

export type WorkflowStep = keyof typeof WORKFLOW_STEPS;

export type StepOutputs = Record<string, string | number>;

/** A step's completion: Slack's `functions.completeSuccess` outputs, or `functions.completeError`'s error. */
export type StepCompletion = { outputs: StepOutputs } | { error: string };

export function startOutputs(state: VkycState): StepOutputs {
  return { verification_id: state.verificationId, ...(state.referenceId === undefined ? {} : { reference_id: state.referenceId }) };
}

export function statusOutputs(state: Pick<VkycState, 'verificationId' | 'status' | 'subStatus'>): StepOutputs {
  return { verification_id: state.verificationId, status: state.status, sub_status: state.subStatus, phase: phaseOf(state.status, state.subStatus) };
}

/**
 * How a wait ends: an expired link fails the step with the reason (the workflow can branch on
 * the failure); any other final state completes it, the decision in `outcome`.
 */
export function waitCompletion(ended: { verificationId: string; status: string; subStatus: string; finalReason: string | null }): StepCompletion {
  const outcome = outcomeOf(ended.status, ended.subStatus, ended.finalReason);
  if (outcome === 'expired') return { error: say.workflow.expired(ended.verificationId, ended.status, ended.subStatus) };
  return { outputs: { ...statusOutputs(ended), outcome } };
}
