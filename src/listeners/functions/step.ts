import type { App } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import { CashfreeError } from '../../cashfree/schemas.js';
import { isSlackApiError, slackFailure } from '../../slack/failures.js';
import { WORKFLOW_STEPS, type StepOutputs, type WorkflowStep } from '../../slack/workflow-steps.js';
import { isDatabaseError } from '../../store/open.js';
import { plainText } from '../../text/mrkdwn.js';
import { BudgetExhausted } from '../../tracking/fetch.js';
import { describeCashfreeError, describeSlackError, say } from '../../text/words.js';
import type { CommandDeps, Outcome } from '../context.js';
import { auditRefusal, isAllowed, isUserAllowed, keepInFlight, type InFlight } from '../surface.js';

/** One run of a step: Slack's execution, who ran the workflow, and the step's inputs as Slack sent them. */
export interface StepRun {
  executionId: string;
  teamId: string | undefined;
  /** From the `requested_by` input (a user context Slack vouches for); undefined when the workflow has no person. */
  userId: string | undefined;
  inputs: Record<string, unknown>;
  /** The bot's own client for the step's Slack work; only the completion uses the execution's short-lived token. */
  slack: WebClient;
}

/** What a step decided: complete it with outputs, fail it with plain words, or leave it open (a wait, completed later). */
export type StepResult = { complete: StepOutputs } | { fail: string; outcome: Outcome } | { open: true; outcome: Outcome };

export interface StepDefinition {
  step: WorkflowStep;
  /** The channel the step acts in, for KYC_ALLOWED_CHANNELS; undefined for steps that post nowhere. */
  channelOf?: (inputs: Record<string, unknown>) => string | undefined;
  /** A step that must reach a person (the link goes to their DM) refuses to run without one. */
  needsPerson: boolean;
  run: (run: StepRun) => Promise<StepResult>;
}

const userContextSchema = z.object({ id: z.string().regex(/^[UW][A-Z0-9]{2,}$/) });

/**
 * A Workflow Builder custom step, with what every step does around its own work written once: the
 * access lists for the person who ran the workflow (every refusal audited), any failure turned into
 * plain words for `fail`, the work kept in flight for shutdown, and one metric and log line. Bolt
 * acknowledges the event first; `complete` and `fail` use the execution's token, as Bolt provides them.
 */
export function registerStep(app: App, deps: CommandDeps, inFlight: InFlight, definition: StepDefinition): void {
  app.function(WORKFLOW_STEPS[definition.step], async ({ inputs, complete, fail, event, body }) => {
    const started = deps.now();
    const requester = userContextSchema.safeParse(inputs['requested_by']);
    const run: StepRun = {
      executionId: event.function_execution_id,
      teamId: body.team_id,
      userId: requester.success ? requester.data.id : undefined,
      inputs,
      slack: app.client,
    };
    const work = (async () => {
      const result = await decide(deps, definition, run);
      const outcome = await finish(deps, run, result, { complete, fail });
      deps.metrics.commands.inc({ subcommand: `workflow_${definition.step}`, result: outcome.result });
      deps.logger.info('workflow step', {
        step: definition.step,
        execution_id: run.executionId,
        user: run.userId,
        result: outcome.result,
        ...(outcome.code === undefined ? {} : { code: outcome.code }),
        ...('open' in result ? { open: true } : {}),
        ms: deps.now() - started,
      });
    })();
    await keepInFlight(inFlight, work);
  });
}

async function decide(deps: CommandDeps, definition: StepDefinition, run: StepRun): Promise<StepResult> {
  const channelId = definition.channelOf?.(run.inputs);
  if (run.userId === undefined) {
    if (definition.needsPerson || deps.config.kyc.allowedUsers.length > 0) {
      auditRefusal(deps, { userId: 'workflow', teamId: run.teamId, channelId }, `workflow_${definition.step}`);
      return { fail: say.workflow.needsPerson, outcome: { result: 'refused', code: 'no_person' } };
    }
  } else {
    const allowed = channelId === undefined ? isUserAllowed(deps.config, run.userId) : isAllowed(deps.config, { userId: run.userId, channelId });
    if (!allowed) return { fail: say.workflow.refused, outcome: auditRefusal(deps, { userId: run.userId, teamId: run.teamId, channelId }, `workflow_${definition.step}`) };
  }
  try {
    return await definition.run(run);
  } catch (error) {
    return failureOf(deps, definition, run, error);
  }
}

/** Any failure, in the plain words a workflow's activity shows; none escapes to crash the process. */
function failureOf(deps: CommandDeps, definition: StepDefinition, run: StepRun, error: unknown): StepResult {
  if (error instanceof CashfreeError) return { fail: plainText(describeCashfreeError(error)), outcome: { result: 'cashfree_error', code: error.code } };
  if (error instanceof BudgetExhausted) {
    return { fail: plainText(say.budgetExhausted(Math.ceil(error.waitMs / 1000))), outcome: { result: 'cashfree_error', code: 'budget_exhausted' } };
  }
  if (isSlackApiError(error)) {
    const { code } = slackFailure(error);
    return { fail: plainText(describeSlackError(code)), outcome: { result: 'slack_error', code } };
  }
  if (isDatabaseError(error)) {
    deps.metrics.databaseError('command', error);
    return { fail: plainText(say.databaseBusy), outcome: { result: 'database_error', code: error.code } };
  }
  deps.logger.error('workflow step failed', { step: definition.step, execution_id: run.executionId, error });
  return { fail: plainText(say.internalError), outcome: { result: 'error' } };
}

/** Tells Slack how the step ended (a wait stays open); a completion Slack refuses is logged, never retried here. */
async function finish(
  deps: CommandDeps,
  run: StepRun,
  result: StepResult,
  bolt: { complete: (args: { outputs: StepOutputs }) => Promise<unknown>; fail: (args: { error: string }) => Promise<unknown> },
): Promise<Outcome> {
  if ('open' in result) return result.outcome;
  try {
    if ('complete' in result) {
      await bolt.complete({ outputs: result.complete });
      return { result: 'ok' };
    }
    await bolt.fail({ error: result.fail });
    return result.outcome;
  } catch (error) {
    const { code } = slackFailure(error);
    deps.logger.warn('Slack refused the workflow step completion', { execution_id: run.executionId, slack_error: code });
    return { result: 'slack_error', code };
  }
}

/** A text input as Slack sent it; empty or not text is undefined. */
export function textInput(inputs: Record<string, unknown>, name: string): string | undefined {
  const value = inputs[name];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}
