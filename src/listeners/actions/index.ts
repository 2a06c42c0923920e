import type { App, BlockAction, ButtonAction, RespondFn } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { CARD_ACTIONS } from '../../slack/blocks.js';
import { say } from '../../text/words.js';
import type { CommandDeps, Invocation, Outcome } from '../context.js';
import { auditRefusal, guarded, isAllowed, keepInFlight, recordOutcome, replyPrivately, type InFlight } from '../surface.js';
import { refreshFromCard } from './refresh.js';
import { stopFromCard } from './stop.js';

type CardAction = (deps: CommandDeps, inv: Invocation, verificationId: string) => Promise<Outcome>;

/** The buttons on a tracked verification's card: each click is acknowledged at once, then worked on. */
const BUTTONS: readonly { actionId: string; name: string; run: CardAction }[] = [
  { actionId: CARD_ACTIONS.refresh, name: 'refresh', run: refreshFromCard },
  { actionId: CARD_ACTIONS.stop, name: 'stop', run: stopFromCard },
];

export function registerActions(app: App, deps: CommandDeps, inFlight: InFlight): void {
  for (const button of BUTTONS) {
    app.action<BlockAction<ButtonAction>>({ block_id: CARD_ACTIONS.block, action_id: button.actionId }, async ({ ack, body, action, respond, client }) => {
      await ack();
      await keepInFlight(inFlight, handleClick(deps, button, body, action, respond, client));
    });
  }
}

async function handleClick(
  deps: CommandDeps,
  button: { name: string; run: CardAction },
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
    outcome = auditRefusal(deps, inv, `button:${button.name}`);
  } else {
    // The value only names a verification; what the click may do is decided by this channel's tracking in the store.
    outcome = await guarded(deps, inv, () => button.run(deps, inv, action.value ?? ''));
  }
  recordOutcome(
    deps,
    { log: 'button', count: (result) => deps.metrics.buttons.inc({ action: button.name, result }) },
    started,
    { action: button.name, user: userId, channel: channelId },
    outcome,
  );
}
