import type { App, RespondFn, SlashCommand } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { CashfreeError } from '../cashfree/schemas.js';
import { isSlackApiError, slackFailure } from '../slack/failures.js';
import { clip } from '../slack/escape.js';
import { describeCashfreeError, describeSlackError, helpText, say } from '../text.js';
import type { CommandDeps, Invocation, Outcome } from './context.js';
import { showHistory } from './history.js';
import { createLink } from './link.js';
import { listTracked } from './list.js';
import { BudgetExhausted } from './lookup.js';
import { describeTarget, parseCommand, type Command } from './parse.js';
import { showStatus } from './status.js';
import { listSubscriptions, subscribeChannel, unsubscribeChannel } from './subscribe.js';
import { trackVerification } from './track.js';
import { untrackVerification } from './untrack.js';
import { openStartVkycModal } from './vkyc.js';

/** Commands still running after their acknowledgement; shutdown waits for them. */
export type InFlight = Set<Promise<unknown>>;

export function registerCommands(app: App, deps: CommandDeps, inFlight: InFlight): void {
  app.command('/kyc', async ({ command, ack, respond, client }) => {
    const work = handleKyc(deps, command, ack, respond, client);
    inFlight.add(work);
    try {
      await work;
    } finally {
      inFlight.delete(work);
    }
  });
}

type Ack = (response?: { response_type: 'ephemeral'; text: string }) => Promise<void>;

export async function handleKyc(deps: CommandDeps, command: SlashCommand, ack: Ack, respond: RespondFn, slack: WebClient): Promise<void> {
  const started = deps.now();
  const parsed = parseCommand(command.text ?? '');
  const inv: Invocation = {
    userId: command.user_id,
    channelId: command.channel_id,
    teamId: command.team_id,
    slack,
    triggerId: command.trigger_id,
    reply: async (text) => {
      try {
        await respond({ response_type: 'ephemeral', replace_original: false, text: clip(text, 3_000) });
      } catch (error) {
        deps.logger.warn('could not answer the agent', { user: command.user_id, channel: command.channel_id, error });
      }
    },
  };
  const ephemeral = (text: string) => ack({ response_type: 'ephemeral', text: clip(text, 3_000) });
  let outcome: Outcome;
  if (!isAllowed(deps.config, inv)) {
    await ephemeral(say.refused);
    deps.store.audit({ actor: inv.userId, teamId: inv.teamId, channelId: inv.channelId, action: 'access_refused', subject: parsed.kind }, started);
    outcome = { result: 'refused' };
  } else {
    outcome = await dispatch(deps, inv, parsed, ephemeral, () => ack());
  }
  deps.metrics.commands.inc({ subcommand: parsed.kind, result: outcome.result });
  deps.logger.info('command', {
    subcommand: parsed.kind,
    ...('target' in parsed ? { target: describeTarget(parsed.target) } : {}),
    user: inv.userId,
    channel: inv.channelId,
    result: outcome.result,
    ...(outcome.code === undefined ? {} : { code: outcome.code }),
    ms: deps.now() - started,
  });
}

/** Whether this agent may use `/kyc` in this channel (KYC_ALLOWED_USERS, KYC_ALLOWED_CHANNELS; empty allows all). */
export function isAllowed(config: CommandDeps['config'], inv: Pick<Invocation, 'userId' | 'channelId'>): boolean {
  const { allowedChannels } = config.kyc;
  return isUserAllowed(config, inv.userId) && (allowedChannels.length === 0 || allowedChannels.includes(inv.channelId));
}

/** KYC_ALLOWED_USERS alone, for surfaces without a channel (App Home). */
export function isUserAllowed(config: CommandDeps['config'], userId: string): boolean {
  const { allowedUsers } = config.kyc;
  return allowedUsers.length === 0 || allowedUsers.includes(userId);
}

/** Acknowledges first (Slack allows 3 s), then does the slow work and answers through `response_url`. */
async function dispatch(
  deps: CommandDeps,
  inv: Invocation,
  command: Command,
  ephemeral: (text: string) => Promise<void>,
  ackSilently: () => Promise<void>,
): Promise<Outcome> {
  const usage = helpText(deps.config.kyc.defaultTemplate);
  switch (command.kind) {
    case 'help':
      await ephemeral(usage);
      return { result: 'ok' };
    case 'invalid':
      await ephemeral(command.showUsage ? `${command.message}\n\n${usage}` : command.message);
      return { result: 'invalid' };
    case 'link': {
      const template = command.template ?? deps.config.kyc.defaultTemplate;
      await ephemeral(say.creatingLink(template));
      return guarded(deps, inv, () => createLink(deps, inv, template));
    }
    case 'track':
      await ephemeral(say.fetchingStatus(describeTarget(command.target)));
      return guarded(deps, inv, () => trackVerification(deps, inv, command.target));
    case 'status':
      await ephemeral(say.fetchingStatus(describeTarget(command.target)));
      return guarded(deps, inv, () => showStatus(deps, inv, command.target));
    case 'untrack':
      await ephemeral(say.working);
      return guarded(deps, inv, () => untrackVerification(deps, inv, command.target));
    case 'list':
      await ephemeral(say.looking);
      return guarded(deps, inv, () => listTracked(deps, inv));
    case 'vkyc':
      // The modal is its own answer: acknowledge without a message, then open it at once (the trigger lasts 3 s).
      await ackSilently();
      return guarded(deps, inv, () => openStartVkycModal(deps, inv));
    case 'history':
      await ephemeral(say.looking);
      return guarded(deps, inv, () => showHistory(deps, inv, command.target));
    case 'subscribe':
      await ephemeral(say.working);
      return guarded(deps, inv, () => subscribeChannel(deps, inv, command.filter));
    case 'unsubscribe':
      await ephemeral(say.working);
      return guarded(deps, inv, () => unsubscribeChannel(deps, inv));
    case 'subscriptions':
      await ephemeral(say.looking);
      return guarded(deps, inv, () => listSubscriptions(deps, inv));
  }
}

/** Every failure after the acknowledgement reaches the agent in plain words; none escapes to crash the process. */
export async function guarded(deps: CommandDeps, inv: Invocation, work: () => Promise<Outcome>): Promise<Outcome> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof CashfreeError) {
      await inv.reply(describeCashfreeError(error));
      return { result: 'cashfree_error', code: error.code };
    }
    if (error instanceof BudgetExhausted) {
      await inv.reply(say.budgetExhausted(Math.ceil(error.waitMs / 1000)));
      return { result: 'cashfree_error', code: 'budget_exhausted' };
    }
    if (isSlackApiError(error)) {
      const failure = slackFailure(error);
      await inv.reply(describeSlackError(failure.code));
      return { result: 'slack_error', code: failure.code };
    }
    deps.metrics.databaseError('command', error);
    deps.logger.error('command failed', { user: inv.userId, channel: inv.channelId, error });
    await inv.reply(say.internalError);
    return { result: 'error' };
  }
}
