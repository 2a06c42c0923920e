import type { App, BlockAction, ButtonAction, RespondFn } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { CommandDeps, Invocation, Outcome } from '../commands/context.js';
import { guarded, isAllowed, type InFlight } from '../commands/index.js';
import { CARD_ACTIONS, type SlackMessage } from '../slack/blocks.js';
import { DIGEST_ACTIONS } from '../slack/digest.js';
import { clip } from '../slack/escape.js';
import { PAGE_ACTIONS } from '../slack/list-pages.js';
import { say } from '../text.js';
import { digestCsvFromButton, historyCsvFromButton, listCsvFromButton } from './csv.js';
import { historyPageFromButton, listPageFromButton } from './pages.js';
import { refreshFromCard } from './refresh.js';
import { registerStartVkyc } from './start-vkyc.js';
import { stopFromCard } from './stop.js';

/** What a button does with its value (a verification id, or a page: src/slack/list-pages.ts). */
type ButtonRun = (deps: CommandDeps, inv: Invocation, value: string) => Promise<Outcome>;

interface ButtonListener {
  block: string;
  actions: readonly string[];
  /** The `action` label in logs, metrics and refusal audits (`button:<name>`). */
  name: string;
  run: ButtonRun;
}

const P = PAGE_ACTIONS;
const BUTTONS: readonly ButtonListener[] = [
  { block: CARD_ACTIONS.block, actions: [CARD_ACTIONS.refresh], name: 'refresh', run: refreshFromCard },
  { block: CARD_ACTIONS.block, actions: [CARD_ACTIONS.stop], name: 'stop', run: stopFromCard },
  { block: P.listBlock, actions: [P.listPrevious, P.listNext], name: 'list_page', run: listPageFromButton },
  { block: P.listBlock, actions: [P.listCsv], name: 'list_csv', run: listCsvFromButton },
  { block: P.historyBlock, actions: [P.historyPrevious, P.historyNext], name: 'history_page', run: historyPageFromButton },
  { block: P.historyBlock, actions: [P.historyCsv], name: 'history_csv', run: historyCsvFromButton },
  { block: DIGEST_ACTIONS.block, actions: [DIGEST_ACTIONS.csv], name: 'digest_csv', run: digestCsvFromButton },
];

/**
 * Everything people click or submit: the buttons on a tracked verification's card, the page and CSV buttons
 * under `/kyc list`, `/kyc history` and the digest (each click is acknowledged at once, then worked on), and
 * the `/kyc vkyc` form.
 */
export function registerInteractions(app: App, deps: CommandDeps, inFlight: InFlight): void {
  registerStartVkyc(app, deps, inFlight);
  for (const { block, actions, name, run } of BUTTONS) {
    for (const actionId of actions) {
      app.action<BlockAction<ButtonAction>>({ block_id: block, action_id: actionId }, async ({ ack, body, action, respond, client }) => {
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
}

async function handleClick(
  deps: CommandDeps,
  name: string,
  run: ButtonRun,
  body: BlockAction<ButtonAction>,
  action: ButtonAction,
  respond: RespondFn | undefined,
  slack: WebClient,
): Promise<void> {
  const started = deps.now();
  const userId = body.user.id;
  const channelId = body.channel?.id ?? body.container.channel_id ?? '';
  const to = { respond, slack, userId, channelId };
  const inv: Invocation = {
    userId,
    channelId,
    teamId: body.team?.id ?? body.user.team_id,
    slack,
    reply: (text) => answerPrivately(deps, to, { text: clip(text, 3_000) }, false),
    // Only page buttons show blocks, and they sit on an ephemeral page, which the next page replaces.
    show: (message) => answerPrivately(deps, to, message, true),
  };
  let outcome: Outcome;
  if (!isAllowed(deps.config, inv)) {
    await inv.reply(say.clickRefused);
    deps.store.audit({ actor: userId, teamId: inv.teamId, channelId, action: 'access_refused', subject: `button:${name}` }, started);
    outcome = { result: 'refused' };
  } else {
    // The value only names a verification or a page; what the click may do is decided by the store, for this channel.
    outcome = await guarded(deps, inv, () => run(deps, inv, action.value ?? ''));
  }
  deps.metrics.buttons.inc({ action: name, result: outcome.result });
  deps.logger.info('button', { action: name, user: userId, channel: channelId, result: outcome.result, ...(outcome.code === undefined ? {} : { code: outcome.code }), ms: deps.now() - started });
}

/**
 * An ephemeral answer to whoever clicked: through the payload's response_url (a new message, or in place of the
 * clicked one), or chat.postEphemeral without one.
 */
async function answerPrivately(
  deps: CommandDeps,
  to: { respond: RespondFn | undefined; slack: WebClient; userId: string; channelId: string },
  message: SlackMessage,
  replaceOriginal: boolean,
): Promise<void> {
  try {
    if (to.respond !== undefined) {
      await to.respond({ response_type: 'ephemeral', replace_original: replaceOriginal, ...message });
    } else {
      await to.slack.chat.postEphemeral({ channel: to.channelId, user: to.userId, ...message });
    }
  } catch (error) {
    deps.logger.warn('could not answer the click', { user: to.userId, channel: to.channelId, error });
  }
}
