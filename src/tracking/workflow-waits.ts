import type { WebClient } from '@slack/web-api';
import type { Logger } from '../log.js';
import { slackFailure } from '../slack/failures.js';
import { waitCompletion } from '../slack/workflow-steps.js';
import type { Store } from '../store/store.js';
import type { WaitRow } from '../store/waits.js';
import { nextDeliveryAt, type Backoff } from '../vkyc/lifecycle.js';

export interface WaitCompletionDeps {
  store: Pick<Store, 'waits'>;
  /** The bot's token: functions.completeSuccess and completeError take it, and it outlives the execution's own token. */
  slack: WebClient;
  logger: Logger;
  now: () => number;
  backoff: Backoff;
}

/** Completions sent per tick at most; Slack allows Tier 3 (50+ a minute) for each method. */
const COMPLETIONS_PER_TICK = 20;

/**
 * Tells Slack how each settled workflow wait ended: functions.completeSuccess with the outcome, or
 * functions.completeError when the link expired. A wait is closed once Slack took its completion, or
 * once Slack says the execution no longer runs (it timed out, or an answer that was lost did reach it):
 * Slack takes one completion per execution, so none is ever sent twice on purpose. A rate limit, a 5xx or
 * a lost answer is retried later with backoff.
 */
export async function completeSettledWaits(deps: WaitCompletionDeps): Promise<number> {
  let closed = 0;
  for (const wait of deps.store.waits.due(deps.now(), COMPLETIONS_PER_TICK)) {
    if (await completeWait(deps, wait)) closed += 1;
  }
  return closed;
}

async function completeWait(deps: WaitCompletionDeps, wait: WaitRow): Promise<boolean> {
  const completion = waitCompletion({
    verificationId: wait.verification_id,
    status: wait.status ?? '',
    subStatus: wait.sub_status ?? '',
    finalReason: wait.final_reason,
  });
  const fields = { execution_id: wait.execution_id, verification_id: wait.verification_id };
  try {
    if ('outputs' in completion) await deps.slack.functions.completeSuccess({ function_execution_id: wait.execution_id, outputs: completion.outputs });
    else await deps.slack.functions.completeError({ function_execution_id: wait.execution_id, error: completion.error });
    deps.store.waits.close(wait.execution_id, 'outputs' in completion ? 'completed' : 'failed', deps.now());
    deps.logger.info('workflow wait completed', { ...fields, result: 'outputs' in completion ? 'completed' : 'failed' });
    return true;
  } catch (error) {
    const failure = slackFailure(error);
    if (failure.code === 'ratelimited' || failure.inDoubt) {
      const next = nextDeliveryAt(wait.attempts + 1, deps.now(), deps.backoff, failure.retryAfterMs);
      deps.store.waits.retryAt(wait.execution_id, failure.code, next);
      deps.logger.warn('workflow wait not completed yet; will retry', { ...fields, slack_error: failure.code, retry_in_ms: next - deps.now() });
      return false;
    }
    // Nothing a retry could change: the execution ended on Slack's side, or Slack refuses this completion for good.
    deps.store.waits.close(wait.execution_id, failure.code, deps.now());
    deps.logger.warn('workflow wait closed: Slack no longer takes its completion', { ...fields, slack_error: failure.code });
    return true;
  }
}
