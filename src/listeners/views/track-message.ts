import type { App, ViewStateValue } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import { CashfreeError } from '../../cashfree/schemas.js';
import { ID_GROUP_ACTION, MAX_MESSAGE_IDS, TRACK_MESSAGE_CALLBACK, idGroupBlock, trackMessageOutcome, trackMessageWorking, type TrackMessageMetadata } from '../../slack/track-message-modal.js';
import { slackFailure } from '../../slack/failures.js';
import { say } from '../../text/words.js';
import { trackInChannel } from '../../tracking/track.js';
import { describeMessageId, readMessageId, type MessageId } from '../../vkyc/message-ids.js';
import type { CommandDeps, Invocation } from '../context.js';
import { auditRefusal, guarded, isAllowed, keepInFlight, parseJson, type InFlight } from '../surface.js';

const metadataSchema = z.object({ channel: z.string().regex(/^[CGD][A-Z0-9]+$/), thread: z.string().regex(/^\d+\.\d+$/) });

/**
 * The message shortcut's confirmation: each id still ticked is tracked in the message's thread, one
 * after another through the same use case as `/kyc track`, and the modal then lists what became of each
 * (tracked, already tracked, final, unknown to Cashfree, or why not).
 */
export function registerTrackMessage(app: App, deps: CommandDeps, inFlight: InFlight): void {
  app.view(TRACK_MESSAGE_CALLBACK, async ({ ack, body, view, client }) => {
    const started = deps.now();
    const metadata = metadataSchema.safeParse(parseJson(view.private_metadata));
    const where = metadata.success ? metadata.data : undefined;
    const who = { userId: body.user.id, teamId: body.team?.id, channelId: where?.channel ?? '' };
    if (where === undefined || !isAllowed(deps.config, who)) {
      await ack({ response_action: 'update', view: trackMessageOutcome([say.messageShortcut.refused], { channel: who.channelId, thread: '' }) });
      if (where !== undefined) auditRefusal(deps, who, 'shortcut:track_message');
      finish(deps, started, who.userId, where === undefined ? 'invalid' : 'refused');
      return;
    }
    const ids = tickedIds(view.state.values);
    if (ids.length === 0) {
      await ack({ response_action: 'errors', errors: { [idGroupBlock(0)]: say.messageShortcut.noneTicked } });
      finish(deps, started, who.userId, 'invalid');
      return;
    }
    await ack({ response_action: 'update', view: trackMessageWorking(ids.length, where) });
    const work = trackEach(deps, client, { ...who, where, ids }).then(async (lines) => {
      await showOutcome(deps, client, view.id, where, who.userId, lines);
      finish(deps, started, who.userId, 'ok', { channel: where.channel, ids: String(ids.length) });
    });
    await keepInFlight(inFlight, work);
  });
}

/** The ids still ticked, read back with the shortcut's own rules (a value is never trusted as it comes). */
function tickedIds(values: Record<string, Record<string, ViewStateValue>>): MessageId[] {
  const ids: MessageId[] = [];
  for (let n = 0; ids.length < MAX_MESSAGE_IDS; n += 1) {
    const group = values[idGroupBlock(n)];
    if (group === undefined) break;
    for (const option of group[ID_GROUP_ACTION]?.selected_options ?? []) {
      const id = readMessageId(option.value ?? '');
      if (id !== undefined && ids.length < MAX_MESSAGE_IDS) ids.push(id);
    }
  }
  return ids;
}

async function trackEach(
  deps: CommandDeps,
  slack: WebClient,
  request: { userId: string; teamId: string | undefined; where: TrackMessageMetadata; ids: MessageId[] },
): Promise<string[]> {
  const w = say.messageShortcut;
  const lines: string[] = [];
  for (const id of request.ids) {
    const name = describeMessageId(id);
    let line = '';
    const inv: Invocation = {
      userId: request.userId,
      channelId: request.where.channel,
      teamId: request.teamId,
      slack,
      reply: async (text) => {
        line = w.failed(name, text);
      },
      show: async (message) => {
        line = w.failed(name, message.text);
      },
    };
    await guarded(deps, inv, async () => {
      try {
        const result = await trackInChannel(deps, slack, { target: id, channelId: inv.channelId, teamId: inv.teamId, userId: inv.userId, threadTs: request.where.thread });
        if (result.kind === 'final') line = w.final(result.state.verificationId, result.state.status, result.state.subStatus);
        else if (result.kind === 'already_tracked') line = w.alreadyTracked(result.verificationId, result.permalink);
        else line = w.tracked(result.verificationId, result.permalink);
        return { result: 'ok' };
      } catch (error) {
        if (!(error instanceof CashfreeError && error.status === 404)) throw error;
        line = w.unknown(name);
        return { result: 'cashfree_error', code: error.code };
      }
    });
    lines.push(line);
  }
  return lines;
}

/** The outcome in the modal, or, if the agent closed it, privately in the channel. */
async function showOutcome(deps: CommandDeps, slack: WebClient, viewId: string, where: TrackMessageMetadata, userId: string, lines: string[]): Promise<void> {
  try {
    await slack.views.update({ view_id: viewId, view: trackMessageOutcome(lines, where) });
    return;
  } catch (error) {
    deps.logger.info('the shortcut modal is gone; answering with an ephemeral message', { user: userId, code: slackFailure(error).code });
  }
  await slack.chat.postEphemeral({ channel: where.channel, user: userId, thread_ts: where.thread, text: [say.messageShortcut.outcomeIntro, ...lines].join('\n') }).catch((error: unknown) => {
    deps.logger.warn('could not answer the agent', { user: userId, channel: where.channel, error });
  });
}

function finish(deps: CommandDeps, started: number, userId: string, result: string, fields: Record<string, string> = {}): void {
  deps.metrics.commands.inc({ subcommand: 'shortcut_track_submit', result });
  deps.logger.info('track message form', { user: userId, result, ...fields, ms: deps.now() - started });
}
