import type { MessageShortcut, RespondFn } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { trackMessageModal } from '../../slack/track-message-modal.js';
import { say } from '../../text/words.js';
import { describeMessageId, findMessageIds } from '../../vkyc/message-ids.js';
import type { CommandDeps, Outcome } from '../context.js';
import { auditRefusal, guarded, interactionInvocation, isAllowed, recordOutcome } from '../surface.js';

/** The message shortcut's callback_id, as manifest.yml declares it. */
export const TRACK_MESSAGE_SHORTCUT = 'kyc_track_message';

/**
 * "Track Video KYCs here" on a message: finds the verification ids it names and opens a modal to
 * confirm them; the cards then go in that message's thread (src/listeners/views/track-message.ts).
 * The message's text is read here and dropped: only the ids, and how many, go further, and the log
 * line counts them without naming them.
 */
export async function trackMessageShortcut(deps: CommandDeps, shortcut: MessageShortcut, respond: RespondFn | undefined, slack: WebClient): Promise<void> {
  const started = deps.now();
  const userId = shortcut.user.id;
  const channelId = shortcut.channel.id;
  const inv = interactionInvocation(deps, { respond, slack, userId, channelId, teamId: shortcut.team?.id ?? shortcut.user.team_id, triggerId: shortcut.trigger_id });
  let found = 0;
  let outcome: Outcome;
  if (!isAllowed(deps.config, inv)) {
    outcome = auditRefusal(deps, inv, 'shortcut:track_message');
    await inv.reply(say.messageShortcut.refused);
  } else {
    const ids = findMessageIds(typeof shortcut.message.text === 'string' ? shortcut.message.text : '').map(describeMessageId);
    found = ids.length;
    // A reply's thread is its parent's: Slack threads are one level deep.
    const threadTs = typeof shortcut.message.thread_ts === 'string' && shortcut.message.thread_ts !== '' ? shortcut.message.thread_ts : shortcut.message.ts;
    outcome = await guarded(deps, inv, async () => {
      await slack.views.open({ trigger_id: shortcut.trigger_id, view: trackMessageModal(ids, { channel: channelId, thread: threadTs }) });
      return { result: 'ok', ...(ids.length === 0 ? { code: 'no_ids' } : {}) };
    });
  }
  recordOutcome(
    deps,
    { log: 'shortcut', count: (result) => deps.metrics.commands.inc({ subcommand: 'shortcut_track_message', result }) },
    started,
    { shortcut: 'track_message', user: userId, channel: channelId, ids_found: found },
    outcome,
  );
}
