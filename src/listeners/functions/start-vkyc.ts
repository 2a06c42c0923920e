import { CashfreeError } from '../../cashfree/schemas.js';
import { startOutputs } from '../../slack/workflow-steps.js';
import { say } from '../../text/words.js';
import { startVideoKyc } from '../../tracking/start-vkyc.js';
import { fieldOfCashfreeError, readStartForm, type FieldErrors } from '../../vkyc/start-form.js';
import type { CommandDeps } from '../context.js';
import { textInput, type StepDefinition, type StepResult, type StepRun } from './step.js';

const CHANNEL = /^[CG][A-Z0-9]{2,}$/;

/**
 * *Start a Video KYC*: the `/kyc vkyc` form as a workflow step. The inputs are checked like the form's
 * fields; the verification is started, its link sent to the person who ran the workflow by DM and its
 * card opened in the chosen channel, by the same use case as the form. The outputs are the ids only.
 */
export function startVkycStep(deps: CommandDeps): StepDefinition {
  return {
    step: 'start',
    needsPerson: true,
    channelOf: (inputs) => textInput(inputs, 'channel'),
    run: (run) => startFromWorkflow(deps, run),
  };
}

async function startFromWorkflow(deps: CommandDeps, run: StepRun): Promise<StepResult> {
  const channelId = textInput(run.inputs, 'channel');
  const form = readStartForm(
    {
      phone: textInput(run.inputs, 'phone'),
      name: textInput(run.inputs, 'name'),
      email: textInput(run.inputs, 'email'),
      userTemplate: textInput(run.inputs, 'user_template') ?? deps.config.vkyc.userTemplate,
      agentTemplate: textInput(run.inputs, 'agent_template') ?? deps.config.vkyc.agentTemplate,
      notify: deps.config.vkyc.notify,
      verificationId: stepVerificationId(run.executionId),
    },
    () => stepVerificationId(run.executionId),
  );
  const problems = form.ok ? [] : fieldProblems(form.errors);
  if (channelId === undefined || !CHANNEL.test(channelId)) problems.push(say.workflow.badInput(label('channel'), 'choose a public or private channel.'));
  if (!form.ok || channelId === undefined || problems.length > 0) return { fail: say.workflow.badInputs(problems), outcome: { result: 'invalid' } };
  if (run.userId === undefined) return { fail: say.workflow.needsPerson, outcome: { result: 'refused', code: 'no_person' } };
  try {
    const outcome = await startVideoKyc(deps, run.slack, { userId: run.userId, teamId: run.teamId, channelId }, form.request);
    const { state } = outcome;
    if (!outcome.started) return { fail: say.workflow.rejected(state.verificationId, state.status, state.subStatus), outcome: { result: 'cashfree_error', code: state.subStatus || state.status } };
    return { complete: startOutputs(state) };
  } catch (error) {
    // A refusal about one input names it, as the form puts it under its field.
    const field = error instanceof CashfreeError ? fieldOfCashfreeError(error) : undefined;
    if (!(error instanceof CashfreeError) || field === undefined) throw error;
    const words = error.status === 409 ? `Cashfree already has verification ${stepVerificationId(run.executionId)} (${error.code}).` : `Cashfree refused it (${error.code}).`;
    return { fail: say.workflow.badInputs([say.workflow.badInput(label(field), words)]), outcome: { result: 'cashfree_error', code: error.code } };
  }
}

/**
 * One verification id per workflow execution: if Slack ever delivers the step twice, Cashfree refuses the
 * second start as a duplicate id instead of starting the customer's Video KYC twice.
 */
export function stepVerificationId(executionId: string): string {
  return `vkyc_wf_${executionId.replace(/[^A-Za-z0-9]/g, '')}`.slice(0, 50);
}

function fieldProblems(errors: FieldErrors): string[] {
  return Object.entries(errors).map(([field, words]) => say.workflow.badInput(label(field), words));
}

function label(field: string): string {
  return say.workflow.inputLabels[field] ?? field;
}
