import { randomBytes } from 'node:crypto';
import type { App } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import { NOTIFY_ACTION, NOTIFY_BLOCK, START_AGAIN_CALLBACK, startAgainMessage, type StartAgainMetadata } from '../../slack/start-again-modal.js';
import { slackFailure } from '../../slack/failures.js';
import { say } from '../../text/words.js';
import { startAgain } from '../../tracking/restart.js';
import type { NotificationType } from '../../vkyc/types.js';
import type { CommandDeps, Invocation, Outcome } from '../context.js';
import { auditRefusal, guarded, isAllowed, keepInFlight, parseJson, recordOutcome, type InFlight } from '../surface.js';

const metadataSchema = z.object({ verification: z.string().regex(/^[A-Za-z0-9._-]{1,50}$/), channel: z.string().regex(/^[CGD][A-Z0-9]+$/) });
const NOTIFY: readonly string[] = ['sms', 'whatsapp', 'email'];
const isNotificationType = (value: string): value is NotificationType => NOTIFY.includes(value);

/**
 * Start again's confirmation: the modal shows "starting…" while Cashfree works, then the outcome (or, if
 * the agent closed it, the same words privately in the channel). A second confirmation, here or in another
 * process, is answered from the store's one restart per verification.
 */
export function registerStartAgain(app: App, deps: CommandDeps, inFlight: InFlight): void {
  app.view(START_AGAIN_CALLBACK, async ({ ack, body, view, client }) => {
    const started = deps.now();
    const metadata = metadataSchema.safeParse(parseJson(view.private_metadata));
    const card: StartAgainMetadata | undefined = metadata.success ? metadata.data : undefined;
    const who = { userId: body.user.id, teamId: body.team?.id, channelId: card?.channel ?? '' };
    const record = (outcome: Outcome) =>
      recordOutcome(
        deps,
        { log: 'start again', count: (result) => deps.metrics.commands.inc({ subcommand: 'start_again_submit', result }) },
        started,
        { user: who.userId, channel: who.channelId, ...(card === undefined ? {} : { verification_id: card.verification }) },
        outcome,
      );
    if (card === undefined || !isAllowed(deps.config, who)) {
      await ack({ response_action: 'update', view: startAgainMessage(say.clickRefused, card ?? { verification: '', channel: '' }) });
      record(card === undefined ? { result: 'invalid' } : auditRefusal(deps, who, 'start_again_submit'));
      return;
    }
    const notify = (view.state.values[NOTIFY_BLOCK]?.[NOTIFY_ACTION]?.selected_options ?? []).map((o) => o.value ?? '');
    const known = notify.filter(isNotificationType);
    if (known.length === 0 || known.length !== notify.length) {
      await ack({ response_action: 'errors', errors: { [NOTIFY_BLOCK]: say.startAgain.notifyMissing } });
      record({ result: 'invalid' });
      return;
    }
    await ack({ response_action: 'update', view: startAgainMessage(say.startAgain.working(card.verification), card) });
    const work = restartAndTell(deps, client, view.id, { ...who, card, notify: known }).then(record);
    await keepInFlight(inFlight, work);
  });
}

async function restartAndTell(
  deps: CommandDeps,
  slack: WebClient,
  viewId: string,
  request: { userId: string; teamId: string | undefined; channelId: string; card: StartAgainMetadata; notify: NotificationType[] },
): Promise<Outcome> {
  const tell = (text: string) => showPrivately(deps, slack, viewId, request, text);
  const inv: Invocation = { userId: request.userId, channelId: request.channelId, teamId: request.teamId, slack, reply: (text) => tell(say.startAgain.notStarted(text)), show: (m) => tell(m.text) };
  return guarded(deps, inv, async () => {
    const outcome = await startAgain(
      { ...deps, templates: deps.config.vkyc, randomId: () => randomBytes(6).toString('hex') },
      slack,
      { verificationId: request.card.verification, channelId: request.channelId, teamId: request.teamId, userId: request.userId, notify: request.notify },
    );
    await tell(outcome.words);
    return outcome.started ? { result: 'ok', code: 'started' } : { result: 'ok', code: outcome.code };
  });
}

/** The modal if it is still open; otherwise the same words in an ephemeral message in the card's thread. */
async function showPrivately(deps: CommandDeps, slack: WebClient, viewId: string, request: { userId: string; card: StartAgainMetadata }, text: string): Promise<void> {
  try {
    await slack.views.update({ view_id: viewId, view: startAgainMessage(text, request.card) });
    return;
  } catch (error) {
    deps.logger.info('the start again modal is gone; answering with an ephemeral message', { user: request.userId, code: slackFailure(error).code });
  }
  await slack.chat.postEphemeral({ channel: request.card.channel, user: request.userId, text }).catch((error: unknown) => {
    deps.logger.warn('could not answer the agent', { user: request.userId, channel: request.card.channel, error });
  });
}
