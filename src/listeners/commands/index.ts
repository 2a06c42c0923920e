import type { App, RespondFn, SlashCommand } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { SlackMessage } from '../../slack/blocks.js';
import { clip } from '../../text/mrkdwn.js';
import { helpText, say } from '../../text/words.js';
import type { CommandDeps, Invocation, Outcome } from '../context.js';
import { auditRefusal, guarded, isAllowed, keepInFlight, recordOutcome, type InFlight } from '../surface.js';
import { createLink } from './link.js';
import { listTracked, showHistory } from '../lists.js';
import { describeTarget, parseCommand, type Command } from './parse.js';
import { showStatus } from './status.js';
import { openSettingsModal } from './settings.js';
import { listSubscriptions, subscribeChannel, unsubscribeChannel } from './subscribe.js';
import { trackVerification } from './track.js';
import { untrackVerification } from './untrack.js';
import { findByPhone } from './find.js';
import { openStartVkycModal } from './vkyc.js';

type Kind = Command['kind'];
/** The command variant whose kind includes K (several kinds share one variant, e.g. track and status). */
type Of<K extends Kind> = Command extends infer C ? (C extends { kind: infer CK } ? (K extends CK ? C : never) : never) : never;

/**
 * One subcommand: what the acknowledgement says (Slack allows 3 s; `silent` when the answer is a modal),
 * then the work, whose failures `guarded` turns into plain words. `help` and `invalid` are the ack alone.
 */
interface Subcommand<K extends Kind> {
  ack: (deps: CommandDeps, command: Of<K>) => string | 'silent';
  run?: (deps: CommandDeps, inv: Invocation, command: Of<K>) => Promise<Outcome>;
  /** The result when there is no work: `invalid` for a mistyped command. */
  result?: Outcome['result'];
}

const SUBCOMMANDS: { [K in Kind]: Subcommand<K> } = {
  help: { ack: (deps) => helpText(deps.config.kyc.defaultTemplate) },
  invalid: {
    ack: (deps, c) => (c.showUsage ? `${c.message}\n\n${helpText(deps.config.kyc.defaultTemplate)}` : c.message),
    result: 'invalid',
  },
  link: {
    ack: (deps, c) => say.creatingLink(c.template ?? deps.config.kyc.defaultTemplate),
    run: (deps, inv, c) => createLink(deps, inv, c.template ?? deps.config.kyc.defaultTemplate),
  },
  track: { ack: (_deps, c) => say.fetchingStatus(describeTarget(c.target)), run: (deps, inv, c) => trackVerification(deps, inv, c.target) },
  status: { ack: (_deps, c) => say.fetchingStatus(describeTarget(c.target)), run: (deps, inv, c) => showStatus(deps, inv, c.target) },
  untrack: { ack: () => say.working, run: (deps, inv, c) => untrackVerification(deps, inv, c.target) },
  list: { ack: () => say.looking, run: (deps, inv) => listTracked(deps, inv) },
  // The modal is its own answer: acknowledge without a message, then open it at once (the trigger lasts 3 s).
  vkyc: { ack: () => 'silent', run: (deps, inv) => openStartVkycModal(deps, inv) },
  find: { ack: () => say.looking, run: (deps, inv, c) => findByPhone(deps, inv, c.phone) },
  history: { ack: () => say.looking, run: (deps, inv, c) => showHistory(deps, inv, c.target, describeTarget(c.target)) },
  subscribe: { ack: () => say.working, run: (deps, inv, c) => subscribeChannel(deps, inv, c.rule) },
  unsubscribe: { ack: () => say.working, run: (deps, inv, c) => unsubscribeChannel(deps, inv, c.which) },
  settings: { ack: () => 'silent', run: (deps, inv) => openSettingsModal(deps, inv) },
  subscriptions: { ack: () => say.looking, run: (deps, inv) => listSubscriptions(deps, inv) },
};

export function registerCommands(app: App, deps: CommandDeps, inFlight: InFlight): void {
  app.command('/kyc', ({ command, ack, respond, client }) => keepInFlight(inFlight, handleKyc(deps, command, ack, respond, client)));
}

type Ack = (response?: { response_type: 'ephemeral'; text: string }) => Promise<void>;

export async function handleKyc(deps: CommandDeps, command: SlashCommand, ack: Ack, respond: RespondFn, slack: WebClient): Promise<void> {
  const started = deps.now();
  const parsed = parseCommand(command.text ?? '');
  const answer = async (message: SlackMessage) => {
    try {
      await respond({ response_type: 'ephemeral', replace_original: false, ...message });
    } catch (error) {
      deps.logger.warn('could not answer the agent', { user: command.user_id, channel: command.channel_id, error });
    }
  };
  const inv: Invocation = {
    userId: command.user_id,
    channelId: command.channel_id,
    teamId: command.team_id,
    slack,
    triggerId: command.trigger_id,
    reply: (text) => answer({ text: clip(text, 3_000) }),
    show: answer,
  };
  let outcome: Outcome;
  if (!isAllowed(deps.config, inv)) {
    await ack({ response_type: 'ephemeral', text: say.refused });
    outcome = auditRefusal(deps, inv, parsed.kind);
  } else {
    outcome = await dispatch(deps, inv, parsed, ack);
  }
  recordOutcome(
    deps,
    { log: 'command', count: (result) => deps.metrics.commands.inc({ subcommand: parsed.kind, result }) },
    started,
    { subcommand: parsed.kind, ...('target' in parsed ? { target: describeTarget(parsed.target) } : {}), user: inv.userId, channel: inv.channelId },
    outcome,
  );
}

async function dispatch<K extends Kind>(deps: CommandDeps, inv: Invocation, command: Of<K>, ack: Ack): Promise<Outcome> {
  const subcommand = SUBCOMMANDS[command.kind as K] as Subcommand<K>;
  const text = subcommand.ack(deps, command);
  await (text === 'silent' ? ack() : ack({ response_type: 'ephemeral', text: clip(text, 3_000) }));
  const run = subcommand.run;
  if (run === undefined) return { result: subcommand.result ?? 'ok' };
  return guarded(deps, inv, () => run(deps, inv, command));
}
