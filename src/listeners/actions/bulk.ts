import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { BULK_ACTIONS, bulkStartModal } from '../../slack/bulk.js';
import { clip } from '../../text/mrkdwn.js';
import { slackFailure } from '../../slack/failures.js';
import { describeSlackError, say } from '../../text/words.js';
import { BULK_DRAFT_TTL_MS } from '../../vkyc/bulk.js';
import type { CommandDeps } from '../context.js';
import { auditRefusal, isUserAllowed, keepInFlight, recordOutcome, replyPrivately, type InFlight } from '../surface.js';

/**
 * *Choose channel and start* under a bulk upload's summary, in the agent's DM with the bot: opens the confirmation
 * modal. A DM is no channel of KYC_ALLOWED_CHANNELS, so only KYC_ALLOWED_USERS applies here; the channel the agent
 * picks for the batch card is checked against both when the modal is submitted.
 */
export function registerBulkActions(app: App, deps: CommandDeps, inFlight: InFlight): void {
  app.action<BlockAction<ButtonAction>>({ block_id: BULK_ACTIONS.block, action_id: BULK_ACTIONS.review }, async ({ ack, body, action, respond, client }) => {
    await ack();
    const started = deps.now();
    const userId = body.user.id;
    const channelId = body.channel?.id ?? body.container.channel_id ?? '';
    const reply = (text: string) => replyPrivately(deps, { respond, slack: client, userId, channelId }, { text: clip(text, 3_000) });
    const work = async (): Promise<'ok' | 'refused' | 'invalid'> => {
      if (!isUserAllowed(deps.config, userId)) {
        auditRefusal(deps, { userId, teamId: body.team?.id, channelId }, 'button:bulk_review');
        await reply(say.bulkRefused);
        return 'refused';
      }
      const batchId = Number(action.value);
      const batch = Number.isInteger(batchId) ? deps.store.bulk.batch(batchId) : undefined;
      if (batch === undefined || batch.status !== 'draft' || batch.created_by !== userId || batch.created_at < deps.now() - BULK_DRAFT_TTL_MS) {
        await reply(say.bulkGone);
        return 'invalid';
      }
      const ready = deps.store.bulk.counts(batch.id).remaining;
      try {
        await client.views.open({ trigger_id: body.trigger_id, view: bulkStartModal({ batchId: batch.id, ready, defaults: deps.config.vkyc }) });
      } catch (error) {
        await reply(describeSlackError(slackFailure(error).code));
        return 'invalid';
      }
      return 'ok';
    };
    const result = await keepInFlight(inFlight, work());
    recordOutcome(deps, { log: 'button', count: (r) => deps.metrics.buttons.inc({ action: 'bulk_review', result: r }) }, started, { action: 'bulk_review', user: userId }, { result });
  });
}
