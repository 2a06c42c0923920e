import type { RespondFn } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { CashfreeError } from '../cashfree/schemas.js';
import type { SlackMessage } from '../slack/blocks.js';
import { isSlackApiError, slackFailure } from '../slack/failures.js';
import { isDatabaseError } from '../store/open.js';
import type { AuditEntry } from '../store/store.js';
import { BudgetExhausted } from '../tracking/fetch.js';
import { clip } from '../text/mrkdwn.js';
import { describeCashfreeError, describeSlackError, say } from '../text/words.js';
import type { CommandDeps, Invocation, Outcome } from './context.js';

/**
 * What every surface (slash command, button, form, Home tab) does around its
 * own work, written once: keep the work in flight for shutdown, check access
 * and audit a refusal, turn any failure into plain words, answer privately,
 * and count and log the outcome in one line.
 */

/** Work still running after its acknowledgement; shutdown waits for it. */
export type InFlight = Set<Promise<unknown>>;

export async function keepInFlight<T>(inFlight: InFlight, work: Promise<T>): Promise<T> {
  inFlight.add(work);
  try {
    return await work;
  } finally {
    inFlight.delete(work);
  }
}

/** Whether this agent may use the bot in this channel (KYC_ALLOWED_USERS, KYC_ALLOWED_CHANNELS; empty allows all). */
export function isAllowed(config: CommandDeps['config'], who: { userId: string; channelId: string }): boolean {
  const { allowedChannels } = config.kyc;
  return isUserAllowed(config, who.userId) && (allowedChannels.length === 0 || allowedChannels.includes(who.channelId));
}

/** KYC_ALLOWED_USERS alone, for surfaces without a channel (App Home). */
export function isUserAllowed(config: CommandDeps['config'], userId: string): boolean {
  const { allowedUsers } = config.kyc;
  return allowedUsers.length === 0 || allowedUsers.includes(userId);
}

/** Every refusal leaves a line in the audit table: who, where, and what they tried. */
export function auditRefusal(deps: Pick<CommandDeps, 'store' | 'now'>, who: { userId: string; teamId?: string | undefined; channelId?: string | undefined }, subject: string): Outcome {
  const entry: AuditEntry = { actor: who.userId, teamId: who.teamId, channelId: who.channelId, action: 'access_refused', subject };
  deps.store.audit(entry, deps.now());
  return { result: 'refused' };
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
    if (isDatabaseError(error)) {
      deps.metrics.databaseError('command', error);
      deps.logger.warn('request not served: the database refused it', { user: inv.userId, channel: inv.channelId, db_error: error.code });
      await inv.reply(say.databaseBusy);
      return { result: 'database_error', code: error.code };
    }
    deps.logger.error('request failed', { user: inv.userId, channel: inv.channelId, error });
    await inv.reply(say.internalError);
    return { result: 'error' };
  }
}

/**
 * An ephemeral answer to whoever acted: through the payload's response_url (a new message, or in place of the
 * one clicked), or chat.postEphemeral without one.
 */
export async function replyPrivately(
  deps: Pick<CommandDeps, 'logger'>,
  to: { respond: RespondFn | undefined; slack: WebClient; userId: string; channelId: string },
  message: SlackMessage,
  options: { replaceOriginal?: boolean } = {},
): Promise<void> {
  try {
    if (to.respond !== undefined) {
      await to.respond({ response_type: 'ephemeral', replace_original: options.replaceOriginal === true, ...message });
    } else {
      await to.slack.chat.postEphemeral({ channel: to.channelId, user: to.userId, ...message });
    }
  } catch (error) {
    deps.logger.warn('could not answer the agent', { user: to.userId, channel: to.channelId, error });
  }
}

/**
 * The invocation of a click or a shortcut: answers go privately to whoever acted (replyPrivately); `show`
 * replaces the message clicked when `showInPlace` (a page button's next page replaces the page).
 */
export function interactionInvocation(
  deps: Pick<CommandDeps, 'logger'>,
  from: { respond: RespondFn | undefined; slack: WebClient; userId: string; channelId: string; teamId: string | undefined; triggerId: string },
  options: { showInPlace?: boolean } = {},
): Invocation {
  const to = { respond: from.respond, slack: from.slack, userId: from.userId, channelId: from.channelId };
  return {
    userId: from.userId,
    channelId: from.channelId,
    teamId: from.teamId,
    slack: from.slack,
    triggerId: from.triggerId,
    reply: (text) => replyPrivately(deps, to, { text: clip(text, 3_000) }),
    show: (message) => replyPrivately(deps, to, message, { replaceOriginal: options.showInPlace === true }),
  };
}

/** One metric and one log line per request, whatever the surface. */
export function recordOutcome(
  deps: Pick<CommandDeps, 'logger' | 'now'>,
  surface: { log: string; count: (result: string) => void },
  started: number,
  fields: Record<string, unknown>,
  outcome: Outcome,
): void {
  surface.count(outcome.result);
  deps.logger.info(surface.log, { ...fields, result: outcome.result, ...(outcome.code === undefined ? {} : { code: outcome.code }), ms: deps.now() - started });
}

/** A modal's private_metadata as JSON, or undefined: what a surface reads back is checked by its own schema. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
