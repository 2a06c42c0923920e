import type { App, BlockAction, ButtonAction, RespondFn } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { CARD_ACTIONS, RESTART_ACTIONS } from '../../slack/blocks.js';
import { DIGEST_ACTIONS } from '../../slack/digest.js';
import { PAGE_ACTIONS } from '../../slack/list-pages.js';
import { say } from '../../text/words.js';
import type { CommandDeps, Invocation, Outcome } from '../context.js';
import { auditRefusal, guarded, interactionInvocation, isAllowed, keepInFlight, recordOutcome, type InFlight } from '../surface.js';
import { registerBulkActions } from './bulk.js';
import { digestCsvFromButton, historyCsvFromButton, listCsvFromButton } from './csv.js';
import { registerOwnerSettings } from './owner-settings.js';
import { historyPageFromButton, listPageFromButton } from './pages.js';
import { refreshFromCard } from './refresh.js';
import { startAgainFromCard } from './start-again.js';
import { stopFromCard } from './stop.js';

/** What a button does with its value (a verification id, or a page: src/slack/list-pages.ts). */
type ButtonRun = (deps: CommandDeps, inv: Invocation, value: string) => Promise<Outcome>;

interface Button {
  block: string;
  actions: readonly string[];
  /** The `action` label in logs, metrics and refusal audits (`button:<name>`). */
  name: string;
  run: ButtonRun;
}

const P = PAGE_ACTIONS;
/**
 * The buttons on a tracked verification's card, and the page and CSV buttons under `/kyc list`,
 * `/kyc history` and the digest: each click is acknowledged at once, then worked on.
 */
const BUTTONS: readonly Button[] = [
  { block: CARD_ACTIONS.block, actions: [CARD_ACTIONS.refresh], name: 'refresh', run: refreshFromCard },
  { block: CARD_ACTIONS.block, actions: [CARD_ACTIONS.stop], name: 'stop', run: stopFromCard },
  { block: RESTART_ACTIONS.block, actions: [RESTART_ACTIONS.startAgain], name: 'start_again', run: startAgainFromCard },
  { block: P.listBlock, actions: [P.listPrevious, P.listNext], name: 'list_page', run: listPageFromButton },
  { block: P.listBlock, actions: [P.listCsv], name: 'list_csv', run: listCsvFromButton },
  { block: P.historyBlock, actions: [P.historyPrevious, P.historyNext], name: 'history_page', run: historyPageFromButton },
  { block: P.historyBlock, actions: [P.historyCsv], name: 'history_csv', run: historyCsvFromButton },
  { block: DIGEST_ACTIONS.block, actions: [DIGEST_ACTIONS.csv], name: 'digest_csv', run: digestCsvFromButton },
];

export function registerActions(app: App, deps: CommandDeps, inFlight: InFlight): void {
  registerBulkActions(app, deps, inFlight);
  for (const button of BUTTONS) {
    for (const actionId of button.actions) {
      app.action<BlockAction<ButtonAction>>({ block_id: button.block, action_id: actionId }, async ({ ack, body, action, respond, client }) => {
        await ack();
        await keepInFlight(inFlight, handleClick(deps, button, body, action, respond, client));
      });
    }
  }
  registerOwnerSettings(app, deps, inFlight);
}

async function handleClick(
  deps: CommandDeps,
  button: Button,
  body: BlockAction<ButtonAction>,
  action: ButtonAction,
  respond: RespondFn | undefined,
  slack: WebClient,
): Promise<void> {
  const started = deps.now();
  const userId = body.user.id;
  const channelId = body.channel?.id ?? body.container.channel_id ?? '';
  // Only page buttons show blocks, and they sit on an ephemeral page, which the next page replaces.
  const inv = interactionInvocation(deps, { respond, slack, userId, channelId, teamId: body.team?.id ?? body.user.team_id, triggerId: body.trigger_id }, { showInPlace: true });
  let outcome: Outcome;
  if (!isAllowed(deps.config, inv)) {
    // Audited before the answer: once the agent reads the refusal, the audit holds it.
    outcome = auditRefusal(deps, inv, `button:${button.name}`);
    await inv.reply(say.clickRefused);
  } else {
    // The value only names a verification or a page; what the click may do is decided by the store, for this channel.
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
