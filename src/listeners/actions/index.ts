import type { App, BlockAction, ButtonAction, RespondFn } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { CommandDeps, Invocation, Outcome } from '../context.js';
import { guarded, isAllowed, type InFlight } from '../commands/index.js';
import { clip } from '../../text/mrkdwn.js';
import { CARD_ACTIONS } from '../../slack/blocks.js';
import { say } from '../../text/words.js';
import { refreshFromCard } from './refresh.js';
import { registerStartVkyc } from '../views/start-vkyc.js';
import { stopFromCard } from './stop.js';

type CardAction = (deps: CommandDeps, inv: Invocation, verificationId: string) => Promise<Outcome>;

/**
 * Everything people click or submit: the buttons on a tracked verification's card (each click is
 * acknowledged at once, then worked on) and the `/kyc vkyc` form.
 */
export function registerInteractions(app: App, deps: CommandDeps, inFlight: InFlight): void {
  registerStartVkyc(app, deps, inFlight);
  const buttons: [string, string, CardAction][] = [
    [CARD_ACTIONS.refresh, 'refresh', refreshFromCard],
    [CARD_ACTIONS.stop, 'stop', stopFromCard],
  ];
  for (const [actionId, name, run] of buttons) {
    app.action<BlockAction<ButtonAction>>({ block_id: CARD_ACTIONS.block, action_id: actionId }, async ({ ack, body, action, respond, client }) => {
      await ack();
      const work = handleClick(deps, name, run, body, action, respond, client);
      inFlight.add(work);
      try {
        await work;
      } finally {
        inFlight.delete(work);
      }
    });
  }
}

async function handleClick(
  deps: CommandDeps,
  name: string,
  run: CardAction,
  body: BlockAction<ButtonAction>,
  action: ButtonAction,
  respond: RespondFn | undefined,
  slack: WebClient,
): Promise<void> {
  const started = deps.now();
  const userId = body.user.id;
  const channelId = body.channel?.id ?? body.container.channel_id ?? '';
  const inv: Invocation = {
    userId,
    channelId,
    teamId: body.team?.id ?? body.user.team_id,
    slack,
    reply: (text) => replyPrivately(deps, { respond, slack, userId, channelId }, text),
  };
  let outcome: Outcome;
  if (!isAllowed(deps.config, inv)) {
    await inv.reply(say.clickRefused);
    deps.store.audit({ actor: userId, teamId: inv.teamId, channelId, action: 'access_refused', subject: `button:${name}` }, started);
    outcome = { result: 'refused' };
  } else {
    // The value only names a verification; what the click may do is decided by this channel's tracking in the store.
    outcome = await guarded(deps, inv, () => run(deps, inv, action.value ?? ''));
  }
  deps.metrics.buttons.inc({ action: name, result: outcome.result });
  deps.logger.info('button', { action: name, user: userId, channel: channelId, result: outcome.result, ...(outcome.code === undefined ? {} : { code: outcome.code }), ms: deps.now() - started });
}

/** An ephemeral answer to whoever clicked: through the payload's response_url, or chat.postEphemeral without one. */
async function replyPrivately(
  deps: CommandDeps,
  to: { respond: RespondFn | undefined; slack: WebClient; userId: string; channelId: string },
  text: string,
): Promise<void> {
  try {
    if (to.respond !== undefined) {
      await to.respond({ response_type: 'ephemeral', replace_original: false, text: clip(text, 3_000) });
    } else {
      await to.slack.chat.postEphemeral({ channel: to.channelId, user: to.userId, text: clip(text, 3_000) });
    }
  } catch (error) {
    deps.logger.warn('could not answer the click', { user: to.userId, channel: to.channelId, error });
  }
}
