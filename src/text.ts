import type { CashfreeError } from './cashfree/schemas.js';
import { codeSpan, escapeMrkdwn } from './slack/escape.js';

/** Every sentence the bot says to people, in one voice. */

export function helpText(defaultTemplate: string): string {
  return [
    '*`/kyc`: Cashfree KYC links and Video KYC tracking*',
    `• \`/kyc link [template]\`: create a static KYC link and post it with a QR code in this channel (default template: \`${defaultTemplate}\`)`,
    '• `/kyc track <verification_id>` or `/kyc track ref:<reference_id>`: follow a Video KYC here; every status change is posted in its thread',
    '• `/kyc status <verification_id>`: show its current status, only to you',
    '• `/kyc untrack <verification_id>`: stop following it in this channel',
    '• `/kyc list`: the verifications followed in this channel',
    '• `/kyc history <verification_id>`: every status the bot has seen, with times',
    '• `/kyc help`: this message',
  ].join('\n');
}

export const say = {
  unknownSubcommand: (word: string) => `:warning: I don't know the subcommand ${codeSpan(word, 40)}.`,
  tooManyArguments: (usage: string) => `:warning: Too many words. Usage: \`${usage}\``,
  missingArgument: (usage: string) => `:warning: Something is missing. Usage: \`${usage}\``,
  badTemplate: (name: string) =>
    `:warning: ${codeSpan(name, 60)} is not a valid template name: use 1 to 100 letters, digits, dots, underscores or hyphens.`,
  badVerificationId: (id: string) =>
    `:warning: ${codeSpan(id, 60)} is not a valid verification id: use 1 to 50 letters, digits, dots, underscores or hyphens (or \`ref:<reference_id>\` with digits).`,
  unbalancedQuote: ':warning: A quote is not closed. Check the command and try again.',
  creatingLink: (template: string) => `:hourglass_flowing_sand: Creating a KYC link for template ${codeSpan(template)}…`,
  linkPosted: (template: string) => `:white_check_mark: The KYC link for ${codeSpan(template)} is posted in this channel.`,
  working: ':hourglass_flowing_sand: Working on it…',
  looking: ':hourglass_flowing_sand: Looking…',
  fetchingStatus: (id: string) => `:hourglass_flowing_sand: Asking Cashfree about ${codeSpan(id)}…`,
  alreadyTracked: (id: string, permalink: string | null) =>
    `:information_source: ${codeSpan(id)} is already tracked in this channel${permalink === null ? '.' : `: <${permalink}|open its thread>.`}`,
  nowTracking: (id: string, permalink: string | null) =>
    `:eyes: Tracking ${codeSpan(id)}. Every status change will be posted in ${permalink === null ? 'its thread' : `<${permalink}|its thread>`}.`,
  alreadyFinal: (id: string, status: string, subStatus: string) =>
    `:information_source: ${codeSpan(id)} is already final (${codeSpan(status)} / ${codeSpan(subStatus)}), so there is nothing to track.`,
  notTracked: (id: string) => `:information_source: ${codeSpan(id)} is not tracked in this channel. \`/kyc list\` shows what is.`,
  untracked: (id: string) => `:white_check_mark: Stopped tracking ${codeSpan(id)} in this channel.`,
  untrackedInThread: (userId: string) => `:octagonal_sign: <@${userId}> stopped tracking this verification in this channel.`,
  nothingTracked: ':information_source: No verifications are tracked in this channel. Start with `/kyc track <verification_id>`.',
  noHistory: (id: string) =>
    `:information_source: The bot has no history for ${codeSpan(id)}. Only verifications tracked with \`/kyc track\` have one.`,
  refused: ':no_entry: You are not allowed to use `/kyc` here. Ask the bot\'s operator to add you (or this channel) to the allowed list.',
  budgetExhausted: (seconds: number) =>
    `:hourglass: The bot has used this minute's Cashfree request budget. Try again in about ${seconds} s.`,
  internalError: ':warning: Something went wrong inside the bot; the operator can find the details in its log. Please try again.',
  shuttingDown: ':warning: The bot is restarting. Try again in a moment.',
  clickRefused: ":no_entry: You are not allowed to use this bot's buttons here. Ask the bot's operator to add you (or this channel) to the allowed list.",
  homeRefused: ":no_entry: You are not on this bot's allowed list, so it shows you no verifications. Ask the bot's operator to add you.",
  refreshBudgetSpent: (seconds: number) =>
    `:hourglass: The bot has used this minute's Cashfree request budget, so it cannot check now. Next check in about ${seconds} s.`,
  refreshUnchanged: (id: string, status: string, subStatus: string) =>
    `:information_source: No change: Cashfree still reports ${codeSpan(id)} as ${codeSpan(status)} / ${codeSpan(subStatus || '—')}.`,
  refreshChanged: (id: string, status: string, subStatus: string) =>
    `:arrows_counterclockwise: ${codeSpan(id)} is now ${codeSpan(status)} / ${codeSpan(subStatus || '—')}; the change is being posted in its thread.`,
  stuckNote: (trackedBy: string, minutes: number, words: string) =>
    `:rotating_light: <@${trackedBy}> this verification has waited ${minutes} min in the same state: ${words} Someone may need to act.`,
  expiryNote: (trackedBy: string, minutes: number) =>
    `:alarm_clock: <@${trackedBy}> the customer has not started yet and the link expires in about ${minutes} min. Remind them, or create a new Video KYC later.`,
};

/** A short how-to for the App Home tab. */
export const homeHowTo = [
  '*How to use it*',
  '• `/kyc track <verification_id>` in a channel: the bot posts a card and follows every status change in its thread.',
  '• *Refresh* on the card asks Cashfree now; *Stop tracking* ends it in that channel.',
  '• The bot notes in the thread when a verification waits too long, or when an unused link is about to expire.',
  '• Each weekday morning, every channel that tracks something gets a digest.',
  '• `/kyc help` lists every command.',
].join('\n');

const CASHFREE_WORDS = wordsFor({
  template_name_missing: 'Cashfree needs a template name',
  template_name_value_invalid: 'Cashfree rejected the template name (only letters, digits, dot, underscore and hyphen are allowed)',
  template_name_not_found: 'the template does not exist in this Cashfree account',
  ip_validation_failed: "Cashfree refused the bot's IP address: it must be whitelisted in the Cashfree dashboard",
  insufficient_balance: 'the Cashfree account balance is too low: add funds and try again',
  too_many_requests_per_operation: 'Cashfree is rate limiting this operation: try again in a minute',
  too_many_requests_per_ip: 'Cashfree is rate limiting the bot: try again in a minute',
  request_failed: 'Cashfree had an internal error: try again later',
  timeout: 'Cashfree did not answer in time: try again',
  unexpected_response: 'Cashfree sent an answer the bot could not read: try again later',
});

/** A Cashfree failure in plain words, with Cashfree's code for whoever investigates. */
export function describeCashfreeError(error: CashfreeError): string {
  let words = CASHFREE_WORDS.get(error.code);
  const reason = escapeMrkdwn(error.message, 300);
  if (words === undefined) {
    if (error.status === 401 || error.code === 'authentication_failed') {
      words = /signature/i.test(error.message)
        ? 'Cashfree requires a request signature (public-key 2FA): the operator must set CASHFREE_PUBLIC_KEY_PATH'
        : "Cashfree rejected the bot's credentials: the operator must check CASHFREE_CLIENT_ID and CASHFREE_CLIENT_SECRET";
    } else if (error.status === 404) {
      words = `Cashfree found nothing: ${reason || 'no such record'}`;
    } else if (error.status === 0) {
      words = 'the bot could not reach Cashfree: try again later';
    } else if (error.status === 429) {
      words = 'Cashfree is rate limiting the bot: try again in a minute';
    } else if (error.status >= 500) {
      words = 'Cashfree is having trouble: try again later';
    } else {
      words = `Cashfree refused the request: ${reason || 'no reason given'}`;
    }
  }
  return `:warning: ${capitalise(words)} (${codeSpan(error.code, 80)}).`;
}

const SLACK_WORDS = wordsFor({
  not_in_channel: 'The bot is not in this channel. Invite it with `/invite @kyc-bot` and try again',
  channel_not_found:
    'The bot cannot see this channel (a private channel or a DM it is not part of). Invite it with `/invite @kyc-bot` and try again',
  is_archived: 'This channel is archived, so the bot cannot post in it',
  ratelimited: 'Slack is rate limiting the bot. Try again in a minute',
  invalid_auth: "The bot's Slack token is not valid. Ask the bot's operator to check SLACK_BOT_TOKEN",
  not_authed: "The bot's Slack token is missing. Ask the bot's operator to check SLACK_BOT_TOKEN",
  token_revoked: "The bot's Slack token was revoked. Ask the bot's operator to reinstall the app",
  account_inactive: "The bot's Slack account is inactive. Ask the bot's operator to reinstall the app",
  missing_scope: 'The bot lacks a Slack permission. Ask the operator to reinstall the app from manifest.yml',
  msg_too_long: 'The message was too long for Slack',
  network_error: 'The bot could not reach Slack. Try again',
});

export function describeSlackError(code: string): string {
  const words = SLACK_WORDS.get(code) ?? (code.startsWith('http_5') ? 'Slack is having trouble. Try again' : 'Slack refused the post');
  return `:warning: ${words} (${codeSpan(code, 80)}).`;
}

/** A lookup table keyed by codes from outside: a Map, so a code like `constructor` finds nothing. */
export function wordsFor(table: Record<string, string>): ReadonlyMap<string, string> {
  return new Map(Object.entries(table));
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
