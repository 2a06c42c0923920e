import type { App } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import type { SlackMessage } from '../../slack/blocks.js';
import { uploadSummary } from '../../slack/bulk.js';
import { slackFailure } from '../../slack/failures.js';
import { takeBulkUpload, type UploadOutcome } from '../../tracking/bulk-upload.js';
import { INTERACTIVE_SLACK_WAIT_MS, pacedCall } from '../../tracking/pacing.js';
import { say } from '../../text/words.js';
import type { CommandDeps } from '../context.js';
import { auditRefusal, isUserAllowed, keepInFlight, recordOutcome, type InFlight } from '../surface.js';

/** The part of a `message` event the bot reads: a file shared in a DM with the bot. */
const fileShareSchema = z.object({
  subtype: z.literal('file_share'),
  channel_type: z.literal('im'),
  channel: z.string().min(1),
  user: z.string().min(1),
  files: z.array(z.object({ id: z.string().min(1) })).min(1),
});

/**
 * A CSV shared in the agent's DM with the bot (`message` event, subtype `file_share`): read, checked row by row,
 * deleted from Slack, and answered in the same DM with the problems (row numbers and reasons) and a button to
 * confirm. Everything here stays in that DM, which only the agent and the bot see.
 */
export function registerBulkUpload(app: App, deps: CommandDeps, inFlight: InFlight): void {
  app.event('message', async ({ event, body, client }) => {
    const share = fileShareSchema.safeParse(event);
    if (!share.success) return;
    const teamId = typeof body.team_id === 'string' ? body.team_id : undefined;
    await keepInFlight(inFlight, handleUpload(deps, client, { ...share.data, teamId }));
  });
}

async function handleUpload(
  deps: CommandDeps,
  slack: WebClient,
  share: z.infer<typeof fileShareSchema> & { teamId: string | undefined },
): Promise<void> {
  const started = deps.now();
  const who = { userId: share.user, teamId: share.teamId, channelId: share.channel };
  const answer = (message: SlackMessage) => answerInDm(deps, slack, share.channel, message);
  let result: 'ok' | 'refused' | 'invalid' = 'ok';
  if (!isUserAllowed(deps.config, share.user)) {
    auditRefusal(deps, who, 'bulk_upload');
    await answer({ text: say.bulkRefused });
    result = 'refused';
  } else {
    const [file] = share.files;
    if (share.files.length > 1) await answer({ text: say.bulkOneFile });
    const outcome = await takeBulkUpload(deps, slack, { fileId: file?.id ?? '', userId: share.user, teamId: share.teamId, dmChannel: share.channel });
    await answer(answerFor(outcome));
    if (outcome.kind !== 'draft' || outcome.batchId === undefined) result = 'invalid';
  }
  recordOutcome(deps, { log: 'bulk upload', count: (r) => deps.metrics.commands.inc({ subcommand: 'bulk_upload', result: r }) }, started, { user: share.user }, { result });
}

function answerFor(outcome: UploadOutcome): SlackMessage {
  const deletionNote = outcome.deletion.deleted ? say.bulkDeleted : say.bulkNotDeleted(outcome.deletion.code);
  const withNote = (text: string) => ({ text: `${text}\n\n${deletionNote}` });
  switch (outcome.kind) {
    case 'disabled':
      return withNote(say.bulkDisabled);
    case 'unreadable':
      return withNote(say.bulkUnreadable(outcome.why));
    case 'file_problem':
      return withNote(say.bulkFileProblem(outcome.problem));
    case 'draft':
      return uploadSummary({ batchId: outcome.batchId, ready: outcome.ready, invalid: outcome.invalid, deletionNote });
  }
}

async function answerInDm(deps: CommandDeps, slack: WebClient, channel: string, message: SlackMessage): Promise<void> {
  try {
    await pacedCall(deps.slackPacer, { method: 'chat.postMessage', channel }, INTERACTIVE_SLACK_WAIT_MS, () => slack.chat.postMessage({ channel, ...message }));
  } catch (error) {
    deps.logger.warn('could not answer a bulk upload', { channel, slack_error: slackFailure(error).code });
  }
}
