import type { App, ViewStateValue } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import { BULK_FIELDS, BULK_START_CALLBACK, bulkCard, bulkOutcomeModal } from '../../slack/bulk.js';
import { slackFailure } from '../../slack/failures.js';
import { INTERACTIVE_SLACK_WAIT_MS, pacedCall } from '../../tracking/pacing.js';
import { describeSlackError, say } from '../../text/words.js';
import { BULK_DRAFT_TTL_MS, type BulkOptions } from '../../vkyc/bulk.js';
import { TEMPLATE_NAME } from '../../vkyc/start-form.js';
import type { NotificationType } from '../../vkyc/types.js';
import type { CommandDeps, Outcome } from '../context.js';
import { auditRefusal, isAllowed, isUserAllowed, keepInFlight, recordOutcome, type InFlight } from '../surface.js';

const metadataSchema = z.object({ batch: z.number().int().positive() });
const NOTIFY: readonly NotificationType[] = ['sms', 'whatsapp', 'email'];

/**
 * The bulk confirmation's submission: the agent's choices are checked on their fields; then the batch card is
 * posted in the chosen channel and the batch is handed to the runner (src/tracking/bulk-run.ts), which starts
 * it within a second. The card is posted before anything starts, so a channel the bot cannot post in starts nothing.
 */
export function registerStartBulk(app: App, deps: CommandDeps, inFlight: InFlight): void {
  app.view(BULK_START_CALLBACK, async ({ ack, body, view, client }) => {
    const started = deps.now();
    const userId = body.user.id;
    const teamId = body.team?.id;
    const finish = (result: Outcome['result']) =>
      recordOutcome(deps, { log: 'bulk confirm', count: (r) => deps.metrics.commands.inc({ subcommand: 'bulk_submit', result: r }) }, started, { user: userId }, { result });
    const metadata = metadataSchema.safeParse(parseJson(view.private_metadata));
    const batch = metadata.success ? deps.store.bulk.batch(metadata.data.batch) : undefined;
    if (!isUserAllowed(deps.config, userId)) {
      await ack({ response_action: 'update', view: bulkOutcomeModal(say.bulkRefused) });
      auditRefusal(deps, { userId, teamId }, 'bulk_submit');
      finish('refused');
      return;
    }
    const form = readForm(view.state.values);
    const errors: Record<string, string> = {};
    if (form.channelId === undefined) errors[BULK_FIELDS.channel] = say.bulkChannelMissing;
    else if (!isAllowed(deps.config, { userId, channelId: form.channelId })) {
      errors[BULK_FIELDS.channel] = say.bulkChannelRefused;
      auditRefusal(deps, { userId, teamId, channelId: form.channelId }, 'bulk_submit');
    }
    if (!TEMPLATE_NAME.test(form.userTemplate)) errors[BULK_FIELDS.userTemplate] = say.vkycField.templateInvalid;
    if (!TEMPLATE_NAME.test(form.agentTemplate)) errors[BULK_FIELDS.agentTemplate] = say.vkycField.templateInvalid;
    if (form.notify.length === 0) errors[BULK_FIELDS.notify] = say.vkycField.notifyMissing;
    if (Object.keys(errors).length > 0 || form.channelId === undefined) {
      await ack({ response_action: 'errors', errors });
      finish('invalid');
      return;
    }
    if (batch === undefined || batch.created_by !== userId || !deps.store.bulk.claimDraft(batch.id, deps.now() - BULK_DRAFT_TTL_MS)) {
      await ack({ response_action: 'update', view: bulkOutcomeModal(say.bulkGone) });
      finish('invalid');
      return;
    }
    await ack({ response_action: 'update', view: bulkOutcomeModal(say.working) });
    const options: BulkOptions = { userTemplate: form.userTemplate, agentTemplate: form.agentTemplate, notify: form.notify };
    const result = await keepInFlight(inFlight, confirmBatch(deps, client, { batchId: batch.id, userId, teamId, channelId: form.channelId, viewId: view.id, options }));
    finish(result);
  });
}

async function confirmBatch(
  deps: CommandDeps,
  slack: WebClient,
  c: { batchId: number; userId: string; teamId: string | undefined; channelId: string; viewId: string; options: BulkOptions },
): Promise<'ok' | 'slack_error'> {
  const counts = deps.store.bulk.counts(c.batchId);
  let outcome: string;
  let result: 'ok' | 'slack_error' = 'ok';
  try {
    const card = await pacedCall(deps.slackPacer, { method: 'chat.postMessage', channel: c.channelId }, INTERACTIVE_SLACK_WAIT_MS, () =>
      slack.chat.postMessage({ channel: c.channelId, unfurl_links: false, ...bulkCard({ createdBy: c.userId, ...counts, done: false }) }),
    );
    if (card.ts === undefined) throw new Error('Slack did not return the message ts');
    deps.store.bulk.confirm(c.batchId, { channelId: c.channelId, cardTs: card.ts, options: JSON.stringify(c.options), nowMs: deps.now() });
    deps.store.audit(
      { actor: c.userId, teamId: c.teamId, channelId: c.channelId, action: 'bulk_confirmed', subject: `batch:${c.batchId}`, detail: `rows=${counts.remaining}` },
      deps.now(),
    );
    outcome = say.bulkConfirmed(counts.remaining, c.channelId);
  } catch (error) {
    deps.store.bulk.releaseDraft(c.batchId);
    const { code } = slackFailure(error);
    deps.logger.warn('could not post a bulk batch card', { batch: c.batchId, channel: c.channelId, slack_error: code });
    outcome = say.bulkCardFailed(describeSlackError(code));
    result = 'slack_error';
  }
  await slack.views.update({ view_id: c.viewId, view: bulkOutcomeModal(outcome) }).catch((error: unknown) => {
    deps.logger.info('the bulk modal is gone', { user: c.userId, slack_error: slackFailure(error).code });
  });
  return result;
}

function readForm(values: Record<string, Record<string, ViewStateValue>>) {
  const field = (block: string) => values[block]?.[BULK_FIELDS.value];
  const text = (block: string) => field(block)?.value?.trim() ?? '';
  const notify = (field(BULK_FIELDS.notify)?.selected_options ?? [])
    .map((option) => option.value ?? '')
    .filter((value): value is NotificationType => (NOTIFY as readonly string[]).includes(value));
  return {
    channelId: field(BULK_FIELDS.channel)?.selected_conversation ?? undefined,
    userTemplate: text(BULK_FIELDS.userTemplate),
    agentTemplate: text(BULK_FIELDS.agentTemplate),
    notify: [...new Set(notify)],
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
