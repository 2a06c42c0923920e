import { codeSpan, escapeMrkdwn, slackLink } from './mrkdwn.js';

/** Where a page of a list is: the page maths live in src/slack/paging.ts. */
export interface Page {
  number: number;
  pages: number;
  offset: number;
  /** Rows on this page. */
  shown: number;
  total: number;
}

/** Every sentence the bot says to people, in one voice. */

export function helpText(defaultTemplate: string): string {
  return [
    '*`/kyc`: Cashfree KYC links and Video KYC tracking*',
    `• \`/kyc link [template]\`: create a static KYC link and post it with a QR code in this channel (default template: \`${defaultTemplate}\`)`,
    '• `/kyc track <verification_id>` or `/kyc track ref:<reference_id>`: follow a Video KYC here; every status change is posted in its thread',
    '• `/kyc status <verification_id>`: show its current status, with any agent or auditor remarks, only to you',
    '• `/kyc untrack <verification_id>`: stop following it in this channel',
    '• `/kyc list`: the verifications followed in this channel',
    '• `/kyc history <verification_id>`: every status the bot has seen, with times',
    '• `/kyc subscribe [filters]`: add a rule: this channel gets a card for each Video KYC of the account that Cashfree pushes and the rule matches (`failures`, `dropoffs`, `expiries`, `approved`, `rejected`, `scheduled`, `template:<name>`, `by:@person`; a leading `-` excludes)',
    '• `/kyc subscriptions`: this channel\'s rules and settings; `/kyc unsubscribe <n>` removes rule n, `/kyc unsubscribe` all of them',
    '• `/kyc settings`: thread-only or broadcast, condensed threads, the stuck-note threshold and the escalation target of this channel',
    "• `/kyc vkyc`: start a Video KYC for a customer in a form; the customer's link comes to you privately and the verification is followed here",
    "• `/kyc find <phone>`: the Video KYCs the bot started for a customer's mobile number, only to you",
    '• Share a CSV of `phone,name,email` rows in your direct messages with the bot to start up to 500 Video KYCs at once',
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
  databaseBusy: ":hourglass: The bot's database is busy or failing right now, so this was not done. Please try again in a moment; if it keeps happening, tell the operator.",
  shuttingDown: ':warning: The bot is restarting. Try again in a moment.',
  vkycField: {
    phoneMissing: "Enter the customer's mobile number.",
    phoneInvalid: 'Enter an Indian mobile number: 10 digits starting with 6, 7, 8 or 9 (a +91, 91 or 0 prefix is fine).',
    nameInvalid: (limit: number) => `Use at most ${limit} characters, without < or >.`,
    emailInvalid: 'Enter an email address such as name@example.com, or leave it empty.',
    templateInvalid: 'Use 1 to 100 letters, digits, dots, underscores or hyphens.',
    notifyMissing: 'Choose at least one: SMS, WhatsApp or email.',
    verificationIdInvalid: 'Use at most 50 letters, digits, dots, underscores or hyphens, or leave it empty to generate one.',
    duplicateVerificationId: (code: string) =>
      `Cashfree already has a verification with this id. Choose another, or leave it empty to generate one (${codeSpan(code, 80)}).`,
    refused: (message: string, code: string) => `Cashfree refused this: ${escapeMrkdwn(message, 300) || 'no reason given'} (${codeSpan(code, 80)}).`,
  },
  vkycModal: {
    title: 'Start a Video KYC',
    submit: 'Start',
    close: 'Close',
    intro:
      "Cashfree sends the customer their Video KYC link. The customer's details go to Cashfree only: the bot neither posts nor keeps them.",
    phone: 'Customer mobile number',
    phoneHint: 'Indian mobile number, e.g. 98765 43210 or +91 98765 43210',
    name: 'Customer name',
    email: 'Customer email',
    userTemplate: 'User template',
    agentTemplate: 'Agent template',
    notify: 'How Cashfree notifies the customer',
    notifyOptions: { sms: 'SMS', whatsapp: 'WhatsApp', email: 'Email' },
    verificationId: 'Verification id',
    verificationIdHint: 'Leave empty to generate one. At most 50 letters, digits, dots, underscores or hyphens.',
    fixBelow: ':warning: Cashfree refused the form. Fix the field marked below and press Start again.',
    working: (id: string) => `:hourglass_flowing_sand: Starting Video KYC ${codeSpan(id)} with Cashfree…`,
    doneTitle: 'Video KYC',
  },
  vkycStarted: (id: string, channelId: string) =>
    `:white_check_mark: Video KYC ${codeSpan(id)} is started. Its status is followed in <#${channelId}>.`,
  vkycLinkSent: ":iphone: The customer's link and its QR code are in your direct messages with the bot.",
  vkycNoLink: ':information_source: Cashfree did not return a link for the customer; they get it through the notification you chose.',
  vkycLinkNotSent: (why: string) => `:warning: The customer's link could not be sent to you privately: ${why}`,
  vkycNotTracked: (id: string, why: string) => `:warning: It is not followed in the channel: ${why} Then type \`/kyc track ${id}\`.`,
  vkycAlreadyTracked: ':information_source: It was already followed in the channel.',
  vkycRejected: (id: string, status: string, subStatus: string) =>
    subStatus === 'INSUFFICIENT_BALANCE'
      ? `:warning: Cashfree rejected Video KYC ${codeSpan(id)}: the Cashfree account balance is too low. Add funds and try again (${codeSpan(subStatus)}).`
      : `:warning: Cashfree rejected Video KYC ${codeSpan(id)} at once (${codeSpan(status)} / ${codeSpan(subStatus)}).`,
  vkycNotStarted: (words: string) => `:no_entry: The Video KYC was not started. ${words}`,
  vkycLinkComment: (id: string, link: string) =>
    [
      `:link: *Video KYC ${codeSpan(id)}*: the customer's link, only for you. Show the QR code to the customer or read the link to them.`,
      slackLink(link),
      'Do not paste it in a channel: it opens this customer\'s verification.',
    ].join('\n'),
  /** Workflow Builder steps: a failed step shows its error as plain text in the workflow's activity, so no mrkdwn here. */
  workflow: {
    refused: "You are not on this bot's allowed list, or the channel is not. Ask the bot's operator to add you (or the channel).",
    needsPerson:
      "This step needs to know who runs the workflow, because the bot's allowed list names people: set its Run by input to the person who used this workflow.",
    badInputs: (problems: readonly string[]) => `The step's inputs are not right. ${problems.join(' ')}`,
    badInput: (label: string, words: string) => `${label}: ${words}`,
    inputLabels: {
      phone: 'Customer mobile number',
      name: 'Customer name',
      email: 'Customer email',
      user_template: 'User template',
      agent_template: 'Agent template',
      channel: 'Channel',
    } as Readonly<Record<string, string>>,
    badVerification:
      'Verification: enter a verification id (1 to 50 letters, digits, dots, underscores or hyphens) or ref: followed by the reference id in digits.',
    rejected: (id: string, status: string, subStatus: string) =>
      subStatus === 'INSUFFICIENT_BALANCE'
        ? `Cashfree rejected Video KYC ${id}: the Cashfree account balance is too low. Add funds and run the workflow again (${subStatus}).`
        : `Cashfree rejected Video KYC ${id} at once (${status} / ${subStatus}).`,
    notStarted: (words: string) => `The Video KYC was not started. ${words}`,
    expired: (id: string, status: string, subStatus: string) =>
      `The customer's Video KYC link for ${id} expired before the verification was decided (${status} / ${subStatus || 'no sub-status'}). Start a new one for the customer.`,
  },
  listTitle: (total: number) => `*${total} verification${total === 1 ? '' : 's'} tracked in this channel*`,
  listSummary: (page: Page) => `${page.total} verification${page.total === 1 ? '' : 's'} tracked in this channel: ${shownWords(page)}`,
  historyTitle: (id: string, total: number) => `*Status history of ${codeSpan(id, 60)}* (${total} entr${total === 1 ? 'y' : 'ies'})`,
  historySummary: (id: string, page: Page) =>
    `Status history of ${codeSpan(id, 60)}: ${page.total} entr${page.total === 1 ? 'y' : 'ies'}, ${shownWords(page)}`,
  /** "Showing 21–40 of 120, newest first (page 2 of 6)." */
  shown: (page: Page, order: 'newest first' | 'oldest first') =>
    page.pages === 1 ? `Showing all ${page.total}, ${order}.` : `Showing ${span(page)}, ${order} (page ${page.number} of ${page.pages}).`,
  pageButtons: { previous: '← Previous', next: 'Next →', csv: (total: number) => `All ${total} as CSV` },
  listCsvComment: (total: number, channelId: string) =>
    `:page_facing_up: All ${total} verification${total === 1 ? '' : 's'} tracked in <#${channelId}>, newest first. Nothing about the customers is in it.`,
  historyCsvComment: (id: string, total: number) =>
    `:page_facing_up: Every status the bot has seen for ${codeSpan(id, 60)}: ${total} entr${total === 1 ? 'y' : 'ies'}, oldest first.`,
  buttonUnreadable: ':warning: The bot could not read this button. Type the command again: `/kyc list` or `/kyc history <verification_id>`.',
  digestShown: (shown: number, total: number) => `Showing ${shown} of ${total}. *Digest as CSV* below sends you every one.`,
  digestCsvButton: 'Digest as CSV',
  digestCsvComment: (channelId: string) =>
    `:page_facing_up: The digest of <#${channelId}> in full: every verification it tracks now (and whether it waits too long), and every one that ended since the digest before.`,
  digestCsvEmpty: ':information_source: Nothing is left of that digest: nothing is tracked in this channel, and nothing ended in the time it covered.',
  csvSent: ':page_facing_up: The whole list is in your direct messages with the bot, as a CSV file.',
  csvNotSent: (why: string) => `:warning: The CSV could not be sent to you: ${why}`,
  clickRefused: ":no_entry: You are not allowed to use this bot's buttons here. Ask the bot's operator to add you (or this channel) to the allowed list.",
  homeNothingTracked: 'You are not tracking any verification. Start with `/kyc track <verification_id>` in a channel.',
  homeShown: (shown: number, total: number) => `Showing ${shown} of ${total}, longest tracked first. \`/kyc list\` in each channel shows them all.`,
  homeRefused: ":no_entry: You are not on this bot's allowed list, so it shows you no verifications. Ask the bot's operator to add you.",
  refreshBudgetSpent: (seconds: number) =>
    `:hourglass: The bot has used this minute's Cashfree request budget, so it cannot check now. Next check in about ${seconds} s.`,
  refreshUnchanged: (id: string, status: string, subStatus: string) =>
    `:information_source: No change: Cashfree still reports ${codeSpan(id)} as ${codeSpan(status)} / ${codeSpan(subStatus || '—')}.`,
  refreshChanged: (id: string, status: string, subStatus: string) =>
    `:arrows_counterclockwise: ${codeSpan(id)} is now ${codeSpan(status)} / ${codeSpan(subStatus || '—')}; the change is being posted in its thread.`,
  findDisabled:
    ":information_source: `/kyc find` is off: the bot's operator turns it on by setting `KYC_PHONE_KEY` (a secret of at least 32 characters, e.g. from `openssl rand -hex 32`). The bot then remembers a keyed hash of each number it starts a Video KYC for, never the number.",
  findInvalidPhone: ':warning: That is not an Indian mobile number: use 10 digits starting with 6, 7, 8 or 9 (a +91, 91 or 0 prefix, spaces and dashes are fine).',
  findResult: (
    starts: ReadonlyArray<{ verification_id: string; started_at: number; started_by: string; channel_id: string | null; status: string | null; sub_status: string | null; permalink: string | null }>,
    total: number,
  ) =>
    total === 0
      ? ':information_source: The bot has not started a Video KYC for this number (or not since `KYC_PHONE_KEY` was set, or it was longer ago than the retention period).'
      : [
          `*${total} Video KYC${total === 1 ? '' : 's'} started by the bot for this number*${total > starts.length ? ` (the newest ${starts.length} shown)` : ''}, newest first:`,
          ...starts.map((s) => {
            const state = s.status === null ? 'no longer kept by the bot' : `${codeSpan(s.status)} / ${codeSpan(s.sub_status || '—')}`;
            const where = s.channel_id === null ? '' : ` in <#${s.channel_id}>`;
            const thread = s.permalink === null ? '' : `, <${s.permalink}|thread>`;
            return `• ${codeSpan(s.verification_id)}: ${state}; started ${new Date(s.started_at).toISOString().slice(0, 16).replace('T', ' ')} UTC by <@${s.started_by}>${where}${thread}`;
          }),
        ].join('\n'),
  bulkDisabled:
    ":information_source: Bulk starts are off: the bot's operator turns them on by setting `KYC_PHONE_KEY`, which the bot uses to keep the rows encrypted until they are started.",
  bulkRefused: ":no_entry: You are not on this bot's allowed list, so it does not start Video KYCs for you. Ask the bot's operator to add you.",
  bulkOneFile: ':information_source: Share one CSV at a time: the bot read only the first file.',
  bulkUnreadable: (why: 'too_big' | 'not_csv' | 'download_failed') =>
    ({
      too_big: ':warning: The file is too large for a bulk start: at most 500 rows of `phone,name,email`.',
      not_csv: ':warning: That is not a CSV file. Share a `.csv` file of `phone,name,email` rows (a header row is optional).',
      download_failed: ':warning: The bot could not read the file from Slack. Share it again in a moment.',
    })[why],
  bulkFileProblem: (problem: 'empty' | 'too_many_rows' | 'unclosed_quote' | 'no_phone_column') =>
    ({
      empty: ':warning: The CSV has no rows. Each row is `phone,name,email` (name and email are optional).',
      too_many_rows: ':warning: The CSV has more than 500 rows. Split it and share each part.',
      unclosed_quote: ':warning: A quote in the CSV is not closed, so the bot cannot tell where a field ends. Fix it and share the file again.',
      no_phone_column: ':warning: The header row has no `phone` column. Use `phone,name,email`, or leave the header out.',
    })[problem],
  bulkDeleted: ':wastebasket: The bot deleted the file from Slack after reading it.',
  bulkNotDeleted: (code: string) =>
    `:warning: *Delete the file yourself*: it holds customers' phone numbers, and Slack does not let the bot delete a file you uploaded (${codeSpan(code, 60)}). Open it above and choose *Delete file*.`,
  bulkUploadRead: (ready: number, invalid: number) =>
    ready === 0
      ? `:warning: No row of the CSV can be started: ${invalid} row${invalid === 1 ? ' has a problem' : 's have problems'}. Fix ${invalid === 1 ? 'it' : 'them'} and share the file again.`
      : `:page_facing_up: ${ready} row${ready === 1 ? ' is' : 's are'} ready to start${invalid === 0 ? '.' : `; ${invalid} row${invalid === 1 ? ' has a problem and is' : 's have problems and are'} left out.`} Nothing is started until you confirm.`,
  bulkRowProblem: (row: number, reason: string) => `• Row ${row}: ${bulkReasonWords(reason)}`,
  bulkMoreProblems: (more: number) => `…and ${more} more row${more === 1 ? '' : 's'} with problems.`,
  bulkReviewButton: (ready: number) => `Choose channel and start ${ready}`,
  bulkModal: {
    title: 'Bulk Video KYC start',
    submit: 'Start all',
    intro: (ready: number) =>
      `${ready} Video KYC${ready === 1 ? '' : 's'} will be started, paced to the Cashfree request budget. The channel gets one card with the progress, and one thread reply per row that fails; you get a CSV of row → verification id by DM.`,
    channel: 'Channel for the batch card',
  },
  bulkChannelMissing: 'Choose the channel where the batch card goes.',
  bulkChannelRefused: 'The bot may not be used in this channel. Choose another one.',
  bulkGone: ':information_source: This batch was already started, or it expired (a batch waits a day for confirmation). Share the CSV again to start over.',
  bulkCardFailed: (why: string) => `:warning: The batch card could not be posted, so nothing was started: ${why} Then press the button again.`,
  bulkConfirmed: (ready: number, channelId: string) =>
    `:rocket: Starting ${ready} Video KYC${ready === 1 ? '' : 's'}. Follow the progress on the card in <#${channelId}>; the CSV of verification ids comes to you by DM when it is done.`,
  bulkCard: (c: { createdBy: string; total: number; started: number; failed: number; remaining: number; done: boolean }) =>
    [
      `${c.done ? ':white_check_mark:' : ':hourglass_flowing_sand:'} *Bulk Video KYC start* by <@${c.createdBy}>: ${c.total} row${c.total === 1 ? '' : 's'}`,
      `Started: *${c.started}* · Failed: *${c.failed}* · Remaining: *${c.remaining}*`,
    ].join('\n'),
  bulkCardNote: (done: boolean) =>
    done
      ? 'Done. Each failed row is in the thread. `/kyc track <verification_id>` follows any of them here.'
      : 'Started at the pace the Cashfree request budget allows. Each failed row is posted in the thread (row number and reason only).',
  bulkRowFailed: (row: number, reason: string) => `:x: Row ${row}: ${bulkReasonWords(reason)}`,
  bulkCsvComment: (started: number, failed: number, channelId: string | null) =>
    `:page_facing_up: Your bulk Video KYC start${channelId === null ? '' : ` (card in <#${channelId}>)`} is done: ${started} started, ${failed} failed. The CSV maps each row number to its verification id; it holds no phone, name or email.`,
  stuckNote: (trackedBy: string, minutes: number, words: string) =>
    `:rotating_light: <@${trackedBy}> this verification has waited ${minutes} min in the same state: ${words} Someone may need to act.`,
  expiryNote: (trackedBy: string, minutes: number) =>
    `:alarm_clock: <@${trackedBy}> the customer has not started yet and the link expires in about ${minutes} min. Remind them, or create a new Video KYC later.`,
  /** The "Track Video KYCs here" message shortcut. */
  messageShortcut: {
    title: 'Track Video KYCs',
    submit: 'Track',
    close: 'Close',
    found: (count: number) =>
      `Found ${count === 1 ? 'one verification id' : `${count} verification ids`} in the message. Untick any you do not want; each one ticked gets its card in the message's thread.`,
    leftOut: (shown: number, leftOut: number) =>
      `:warning: The message names more ids than fit here: showing the first ${shown}; ${leftOut} more ${leftOut === 1 ? 'was' : 'were'} left out. Run the shortcut on a shorter message, or use \`/kyc track\` for the rest.`,
    groupLabel: (group: number, groups: number) => (groups === 1 ? 'Verification ids' : `Verification ids (${group} of ${groups})`),
    noneFound:
      ':mag: No verification ids in this message. The shortcut looks for ids such as `vkyc_20261123_1a2b3c` (3 to 50 letters, digits, dots, underscores or hyphens, with at least one letter and one digit) and reference ids written `ref:<digits>`.',
    noneTicked: 'Tick at least one id, or close this form.',
    working: (count: number) => `:hourglass_flowing_sand: Asking Cashfree about ${count === 1 ? 'one verification' : `${count} verifications`}…`,
    outcomeIntro: 'In the message\'s thread:',
    tracked: (id: string, permalink: string | null) =>
      `:eyes: ${codeSpan(id)}: tracked${permalink === null ? '' : ` (<${permalink}|its card>)`}.`,
    alreadyTracked: (id: string, permalink: string | null) =>
      `:information_source: ${codeSpan(id)}: already tracked in this channel${permalink === null ? '' : ` (<${permalink}|its thread>)`}.`,
    final: (id: string, status: string, subStatus: string) =>
      `:information_source: ${codeSpan(id)}: already final (${codeSpan(status)} / ${codeSpan(subStatus || '—')}), nothing to track.`,
    unknown: (id: string) => `:grey_question: ${codeSpan(id)}: Cashfree knows no such verification.`,
    failed: (id: string, words: string) => `${codeSpan(id)}: ${words}`,
    refused: ":no_entry: You are not allowed to use this bot's shortcuts here. Ask the bot's operator to add you (or this channel) to the allowed list.",
  },
  /** The "Start a Video KYC" global shortcut: the /kyc vkyc form with a channel picker. */
  vkycChannel: {
    label: 'Channel to follow it in',
    hint: 'The card and its status replies go there; the bot must be a member (invite it with /invite @kyc-bot).',
    notAllowed: "The bot is not allowed in that channel. Choose one on the bot's allowed list.",
    notMember: 'The bot is not in that channel. Invite it with /invite @kyc-bot, or choose another.',
    missing: 'Choose a channel.',
    refused: ":no_entry: You are not allowed to use this bot. Ask the bot's operator to add you to the allowed list.",
  },
  /** Start again, on a card whose link expired or whose pre-call checks failed. */
  startAgain: {
    title: 'Start again?',
    submit: 'Start again',
    close: 'Cancel',
    explain: (id: string, userId: string) =>
      `Cashfree starts a new Video KYC for the same customer (Cashfree user ${codeSpan(userId, 60)}) in place of ${codeSpan(id)}, with a new verification id. The new link comes to you in your direct messages with the bot, and the new verification is followed in this card's thread.`,
    templates: (user: string, agent: string) => `Templates: ${codeSpan(user, 100)} (user), ${codeSpan(agent, 100)} (agent).`,
    notify: 'How Cashfree notifies the customer',
    notifyMissing: 'Choose at least one: SMS, WhatsApp or email.',
    working: (id: string) => `:hourglass_flowing_sand: Starting ${codeSpan(id)} with Cashfree…`,
    started: (from: string, to: string) =>
      `:white_check_mark: ${codeSpan(from)} is started again as ${codeSpan(to)}. It is followed in the same thread.`,
    notFollowed: (to: string, why: string) => `:warning: ${codeSpan(to)} is started but not followed in the thread: ${why} Then type \`/kyc track ${to}\`.`,
    running: (from: string, to: string, by: string) =>
      `:hourglass_flowing_sand: ${codeSpan(from)} is already being started again as ${codeSpan(to)} (by <@${by}>). Wait for it to finish.`,
    done: (from: string, to: string, permalink: string | null) =>
      `:information_source: ${codeSpan(from)} was already started again as ${codeSpan(to)}${permalink === null ? '' : `: <${permalink}|its card>`}.`,
    notEligible: (id: string) =>
      `:information_source: ${codeSpan(id)} cannot be started again: only a verification whose link expired, or whose pre-call checks failed for good, can.`,
    notHere: (id: string) => `:information_source: ${codeSpan(id)} has no card in this channel.`,
    notStarted: (words: string) => `:no_entry: Nothing was started. ${words}`,
  },
};

const ROW_REASONS = wordsFor({
  phone_missing: 'the phone is missing',
  phone_invalid: 'the phone is not an Indian mobile number (10 digits starting with 6, 7, 8 or 9)',
  name_invalid: 'the name is longer than 100 characters, or holds < or >',
  email_invalid: 'the email is not an address such as name@example.com',
  too_many_fields: 'the row has more than three fields (phone, name, email); quote a field that holds a comma',
  unreadable: "the bot can no longer read this row (KYC_PHONE_KEY changed since it was stored)",
  internal_error: 'something went wrong inside the bot',
});

/** Why a row of a bulk start cannot start, in plain words, with Cashfree's code when it is Cashfree's answer. */
function bulkReasonWords(reason: string): string {
  const duplicate = /^duplicate_phone:(\d+)$/.exec(reason);
  if (duplicate !== null) return `the same phone as row ${duplicate[1]}, which is started instead`;
  const [kind, code = ''] = reason.split(':', 2);
  if (kind === 'cashfree') return `Cashfree refused it (${codeSpan(code, 80)})`;
  if (kind === 'rejected') return `Cashfree rejected it at once (${codeSpan(code, 80)})`;
  return ROW_REASONS.get(reason) ?? `it could not be started (${codeSpan(reason, 80)})`;
}

/** "21–40 of 120" */
function span(page: Page): string {
  return `${page.offset + 1}${page.shown === 1 ? '' : `–${page.offset + page.shown}`} of ${page.total}`;
}

function shownWords(page: Page): string {
  return page.shown === page.total ? 'all shown' : `showing ${span(page)}`;
}

/** Column names of the CSV files the bot sends (never a customer's details). */
export const CSV_COLUMNS = {
  list: ['verification_id', 'status', 'sub_status', 'tracked_by', 'tracked_at_utc', 'status_since_utc', 'last_check_failed', 'thread'],
  digest: ['kind', 'verification_id', 'status', 'sub_status', 'since_utc', 'thread'],
  bulk: ['row', 'verification_id', 'state', 'reason'],
  history: ['observed_at_utc', 'status', 'sub_status', 'previous_status', 'previous_sub_status', 'final_reason', 'posted_at_utc', 'recording_available'],
} as const;

/** A short how-to for the App Home tab. */
export const homeHowTo = [
  '*How to use it*',
  '• `/kyc track <verification_id>` in a channel: the bot posts a card and follows every status change in its thread.',
  '• *Refresh* on the card asks Cashfree now; *Stop tracking* ends it in that channel.',
  '• The bot notes in the thread when a verification waits too long, or when an unused link is about to expire.',
  '• Each weekday morning, every channel that tracks something gets a digest; each week, a turnaround report with a chart and a CSV.',
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
  unreadable_response: 'Cashfree sent an answer the bot could not read: try again later',
});

/** A Cashfree failure in plain words, with Cashfree's code for whoever investigates. */
export function describeCashfreeError(error: { status: number; code: string; message: string }): string {
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

/** A rule's term as the words below describe it (src/vkyc/rules.ts holds the decision). */
export interface RuleTermWords {
  kind: 'class' | 'template' | 'by';
  value: string;
  negated: boolean;
}

const CLASS_WORDS = wordsFor({
  failures: 'fail or are rejected',
  dropoffs: 'drop off',
  expiries: 'expire',
  approved: 'are approved',
  rejected: 'are rejected',
  scheduled: 'have a call scheduled',
});

const FILTER_HELP =
  'Filters: `failures`, `dropoffs`, `expiries`, `approved`, `rejected`, `scheduled`, `template:<name>`, `by:@person`; a leading `-` excludes. Example: `/kyc subscribe rejected expiries -template:Aadhaar_verification`';

function either(values: string[]): string {
  return values.length <= 1 ? (values[0] ?? '') : `${values.slice(0, -1).join(', ')} or ${values.at(-1) ?? ''}`;
}

/** "Video KYCs that are rejected or expire, started with template `X`, except those started or tracked by <@U1>". */
export function describeRule(terms: readonly RuleTermWords[]): string {
  const of = (kind: RuleTermWords['kind'], negated: boolean) => terms.filter((t) => t.kind === kind && t.negated === negated);
  const classes = (list: RuleTermWords[]) => either(list.map((t) => CLASS_WORDS.get(t.value) ?? t.value));
  const templates = (list: RuleTermWords[]) => `started with template ${either(list.map((t) => codeSpan(t.value, 100)))}`;
  const people = (list: RuleTermWords[]) => `started or tracked by ${either(list.map((t) => `<@${t.value}>`))}`;
  const positive: string[] = [];
  if (of('class', false).length > 0) positive.push(`that ${classes(of('class', false))}`);
  if (of('template', false).length > 0) positive.push(templates(of('template', false)));
  if (of('by', false).length > 0) positive.push(people(of('by', false)));
  const negative: string[] = [];
  if (of('class', true).length > 0) negative.push(`that ${classes(of('class', true))}`);
  if (of('template', true).length > 0) negative.push(templates(of('template', true)));
  if (of('by', true).length > 0) negative.push(people(of('by', true)));
  const head = positive.length === 0 ? 'every Video KYC' : `Video KYCs ${positive.join(', ')}`;
  return negative.length === 0 ? head : `${head}, except those ${negative.join(' or ')}`;
}

/** A rule's words as typed, safe in a code span. */
function ruleWords(text: string): string {
  return text === '' ? '`all`' : codeSpan(text, 1_500);
}

function utcMinute(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export interface RuleLine {
  text: string;
  terms: readonly RuleTermWords[];
  setBy: string;
  setAt: number;
}

export interface SettingsWords {
  threadOnly: boolean;
  condensed: boolean;
  stuckAfterMinutes: number;
  /** The stuck threshold is KYC_STUCK_AFTER_SECONDS, not this channel's own. */
  stuckIsDefault: boolean;
  /** `<!here>` or `<!subteam^S…>`. */
  escalation: string | undefined;
  updatedBy: string | undefined;
  updatedAt: number | undefined;
}

/** An escalation target shown without pinging anyone. */
function targetWords(mention: string | undefined): string {
  if (mention === undefined) return 'nobody';
  const group = /^<!subteam\^([A-Z0-9]+)>$/.exec(mention)?.[1];
  return group === undefined ? '`@here`' : `the user group ${codeSpan(group, 40)}`;
}

export const sayRules = {
  badFilter: (word: string) => `:warning: ${codeSpan(word, 60)} is not a filter. ${FILTER_HELP}`,
  badTemplate: (word: string) =>
    `:warning: ${codeSpan(word, 60)}: a template name has 1 to 100 letters, digits, dots, underscores or hyphens, as in \`template:Aadhaar_verification\`.`,
  badPerson: (word: string) =>
    `:warning: ${codeSpan(word, 60)}: after \`by:\` pick the person from Slack's list as you type \`@\`, as in \`by:@asha\`, so the command carries who they are.`,
  tooManyTerms: (count: number, max: number) => `:warning: A rule has at most ${max} filters; this one has ${count}. Split it into several rules.`,
  tooManyRules: (max: number) => `:warning: This channel has ${max} rules, the most it can have. \`/kyc subscriptions\` lists them; \`/kyc unsubscribe <n>\` removes one.`,
  ruleExists: (n: number) => `:information_source: This channel already has this rule (number ${n} in \`/kyc subscriptions\`).`,
  ruleAdded: (n: number, terms: readonly RuleTermWords[]) =>
    `:satellite_antenna: Rule ${n} added: this channel now gets a card for ${describeRule(terms)}, as Cashfree pushes them. \`/kyc subscriptions\` lists the rules; \`/kyc unsubscribe ${n}\` removes this one.`,
  ruleAddedInChannel: (userId: string, text: string, terms: readonly RuleTermWords[]) =>
    `:satellite_antenna: <@${userId}> added a rule to this channel, ${ruleWords(text)}: ${describeRule(terms)}. Each one the Cashfree account pushes to the bot gets a card and a thread here. \`/kyc subscriptions\` lists the rules.`,
  ruleRemoved: (n: number, text: string) =>
    `:white_check_mark: Rule ${n} (${ruleWords(text)}) removed. Cards already here keep their threads until they end.`,
  ruleRemovedInChannel: (userId: string, text: string) => `:octagonal_sign: <@${userId}> removed the rule ${ruleWords(text)} from this channel.`,
  allRemoved: (count: number) =>
    `:white_check_mark: All ${count} rule${count === 1 ? '' : 's'} of this channel removed: it no longer follows the account. Cards already here keep their threads until they end.`,
  allRemovedInChannel: (userId: string) => `:octagonal_sign: <@${userId}> removed every rule of this channel: it no longer follows the Cashfree account's Video KYCs.`,
  noRules: ':information_source: This channel has no rules. `/kyc subscribe` adds one.',
  noSuchRule: (n: string, count: number) =>
    count === 0
      ? `:warning: This channel has no rules, so there is no rule ${codeSpan(n, 20)}.`
      : `:warning: There is no rule ${codeSpan(n, 20)} here: this channel has ${count} (1 to ${count}). \`/kyc subscriptions\` lists them.`,
  listTitle: (count: number) =>
    count === 0
      ? '*No rules in this channel.* `/kyc subscribe [filters]` adds one.'
      : `*${count} rule${count === 1 ? '' : 's'} in this channel*: a Video KYC gets a card here as soon as one of them matches it.`,
  listLine: (n: number, line: RuleLine) =>
    `*${n}.* ${ruleWords(line.text)}: ${describeRule(line.terms)}. Set by <@${line.setBy}>, ${utcMinute(line.setAt)}.`,
  listFooter: '`/kyc unsubscribe <n>` removes rule n; `/kyc unsubscribe` removes them all.',
  settingsLine: (s: SettingsWords) =>
    [
      '*Settings* (`/kyc settings` changes them)',
      `• Final states: ${s.threadOnly ? 'kept in the thread' : 'also sent to the channel'}`,
      `• Threads: ${s.condensed ? 'milestones only (condensed); the card shows every state' : 'every change'}`,
      `• Stuck note: after ${s.stuckAfterMinutes} min${s.stuckIsDefault ? ' (the default)' : ''}`,
      `• Escalation target: ${targetWords(s.escalation)}`,
      ...(s.updatedBy === undefined || s.updatedAt === undefined ? [] : [`Last changed by <@${s.updatedBy}>, ${utcMinute(s.updatedAt)}.`]),
    ].join('\n'),
  otherChannels: (channels: { channelId: string; rules: number }[], more: number) =>
    `*Other channels that follow the account*: ${channels.map((c) => `<#${c.channelId}> (${c.rules})`).join(', ')}${more > 0 ? `, and ${more} more` : ''}.`,
  listSummary: (count: number) => `${count} rule${count === 1 ? '' : 's'} in this channel, and its settings.`,
};

export const saySettings = {
  title: 'Channel settings',
  submit: 'Save',
  close: 'Cancel',
  done: 'Close',
  intro: (channelId: string) => `How the bot posts in <#${channelId}>. Changes apply to the next update.`,
  finalPosts: 'Final states (approved, rejected, expired)',
  broadcast: 'Also send them to the channel',
  threadOnly: 'Keep them in the thread',
  threadDetail: 'What each thread gets',
  everyChange: 'Every change of status',
  condensed: 'Milestones only (condensed)',
  condensedHint: 'Milestones: link opened, queued, call started, decision, expiry. The card always shows the latest state.',
  stuckMinutes: 'Stuck note after (minutes)',
  stuckHint: (defaultMinutes: number) => `Leave empty for the default (${defaultMinutes} min). From 1 to 1440.`,
  escalation: 'Escalation target',
  escalationHint: 'Who SLA escalations mention: @here, or a user group\'s id (S0123ABCD; in Slack: the group\'s page, Copy group ID). Leave empty for nobody.',
  choose: 'Choose one.',
  badMinutes: 'Enter a whole number of minutes from 1 to 1440, or leave it empty.',
  badEscalation: 'Enter @here, or a user group id such as S0123ABCD, or leave it empty.',
  saved: (channelId: string) => `:white_check_mark: Settings of <#${channelId}> saved. \`/kyc subscriptions\` shows them.`,
  refused: ':no_entry: You are not allowed to change the settings here. Ask the bot\'s operator to add you (or this channel) to the allowed list.',
};

/** Turnaround figures: the stages as a team names them, and the words around the figures. */
export const TURNAROUND_WORDS = {
  stages: {
    link: 'Link → first step',
    preCall: 'Pre-call checks',
    queue: 'Queue wait',
    call: 'Call → agent decision',
    review: 'Review → auditor decision',
    endToEnd: 'End to end',
  },
  /** Short names for the chart's labels and the CSV's columns. */
  short: { link: 'LINK', preCall: 'PRE-CALL', queue: 'QUEUE', call: 'CALL', review: 'REVIEW', endToEnd: 'END TO END' },
  csvColumns: {
    link: 'link_to_first_step_s',
    preCall: 'pre_call_s',
    queue: 'queue_wait_s',
    call: 'call_to_agent_decision_s',
    review: 'review_to_auditor_decision_s',
    endToEnd: 'end_to_end_s',
  },
  basis:
    'Observation-based: each change is dated halfway between the last poll that still saw the previous state and the one that saw the new one. p50 and p90 are nearest-rank, over the stages that ended in the period.',
  unknownTemplate: 'unknown template',
  homeHeader: (days: number) => `Turnaround, last ${days === 1 ? 'day' : `${days} days`}`,
  homeYours: '*Yours*',
  homeTeam: "*The team's*",
  homeByTemplate: "*The team's, by template*",
  homePeriodLabel: 'Period',
  homeGroupsCut: (shown: number, total: number) => `${shown} of ${total} templates shown.`,
  reportHeader: (from: string, to: string) => `Video KYC turnaround, ${from} to ${to}`,
  reportCount: (count: number) => `*${count} ${count === 1 ? 'verification' : 'verifications'}* had a stage end or a decision this week.`,
  reportByTemplate: '*By template*',
  reportByOwner: '*By owner*',
  reportGroupsCut: (shown: number, total: number) => `${shown} of ${total} shown; the CSV has every verification.`,
  reportFiles: 'The chart shows p50 and p90 per stage (log scale); the CSV lists every verification with its stages in seconds.',
  chartTitle: (from: string, to: string) => `Turnaround per stage, ${from} to ${to}`,
  altText: (from: string, to: string, lines: readonly string[]) =>
    `Bar chart of Video KYC turnaround per stage, ${from} to ${to}, observation-based; for each stage a p50 bar and a p90 bar, log scale. ${lines.join('; ')}.`,
  figureLine: (stage: string, p50: string, p90: string, count: number) => `${stage}: p50 ${p50}, p90 ${p90} (${count})`,
  noneLine: (stage: string) => `${stage}: no figures`,
};

export const TURNAROUND_CSV_HEAD = ['verification_id', 'template', 'owner', 'outcome', 'ended_at_utc'] as const;

/** A duration as a person reads it: "45 s", "9 min 30 s", "1 h 20 min", "2 d 3 h". */
export function durationWords(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const units: Array<[number, string]> =
    s < 3600 ? [[Math.floor(s / 60), 'min'], [s % 60, 's']] : s < 86_400 ? [[Math.floor(s / 3600), 'h'], [Math.floor((s % 3600) / 60), 'min']] : [[Math.floor(s / 86_400), 'd'], [Math.floor((s % 86_400) / 3600), 'h']];
  return units
    .filter(([n], i) => i === 0 || n > 0)
    .map(([n, unit]) => `${n} ${unit}`)
    .join(' ');
}

/** What the bot tells a verification's owner: by DM, in App Home, and the mention on its final state. */
export const ownerWords = {
  callSoon: (id: string, minutes: number, when: string) =>
    `:calendar: Video KYC ${codeSpan(id)}: the scheduled video call starts in about ${minutes} min (${when}).`,
  dropoff: (id: string, words: string) => `:door: Video KYC ${codeSpan(id)}: the customer dropped off before finishing the call. ${words}`,
  precheckFailed: (id: string, words: string) => `:warning: Video KYC ${codeSpan(id)}: the customer failed a pre-call check. ${words}`,
  rejected: (id: string, status: string, subStatus: string) =>
    `:x: Video KYC ${codeSpan(id)} was rejected (${codeSpan(status)} / ${codeSpan(subStatus || '—')}).`,
  expiring: (id: string, minutes: number) =>
    `:alarm_clock: Video KYC ${codeSpan(id)}: the customer has not started yet and the link expires in about ${minutes} min. Remind them, or start a new Video KYC later.`,
  agentRemarks: (text: string) => `*Agent's remarks:* ${text}`,
  auditorRemarks: (text: string) => `*Auditor's remarks:* ${text}`,
  noRemarks: '_Cashfree gave no remarks._',
  remarksUnavailable: (id: string) => `_The remarks could not be fetched from Cashfree just now; \`/kyc status ${id}\` shows them._`,
  remarksPrivate: '_Remarks are shown only to you: they may hold the customer\'s details, so never paste them in a channel._',
  thread: (permalink: string) => `<${permalink}|Open the thread>`,
  threadIn: (channelId: string) => `Its thread is in <#${channelId}>.`,
  why: "You get this because you own this verification (you started it, or tracked it first). Choose which messages you get, and your quiet hours, on the bot's Home tab.",
  finalMention: (ownerId: string) => `cc <@${ownerId}>`,
  stoppedMention: (ownerId: string) => `cc <@${ownerId}>, who owns this verification.`,
  kinds: {
    call_soon: 'A scheduled call starts in 10 minutes',
    dropoff: 'The customer dropped off',
    precheck_failed: 'The customer failed a pre-call check',
    rejected: 'A rejection, with its remarks',
    expiring: 'An unused link expires within the hour',
    sla: 'A stage has taken longer than its service level (KYC_SLA)',
  },
  settingsTitle: 'Your direct messages',
  settingsIntro:
    'For the verifications you own (you started them with `/kyc vkyc`, or tracked them first), the bot sends you a direct message when something needs you. You are never told of your own commands or clicks.',
  settingsKindsLabel: 'Send me a message when',
  quietFromLabel: 'Quiet from',
  quietUntilLabel: 'until',
  quietOff: 'Off',
  quietState: (from: string, until: string, timeZone: string) =>
    `:crescent_moon: Quiet hours ${from}–${until} (${timeZone}): messages due then wait until ${until}; none is dropped.`,
  quietNone: (timeZone: string) => `No quiet hours: messages come at once. Times are in ${timeZone}.`,
  quietHalf: 'Choose both ends for quiet hours to apply.',
  settingsRefused: ":no_entry: You are not on this bot's allowed list, so these settings were not saved.",
};

/** Service levels (KYC_SLA): the owner's DM on a breach, and the escalation in the verification's thread. */
export const slaWords = {
  dm: (id: string, stage: string, since: string) =>
    `:hourglass: Video KYC ${codeSpan(id)} is over its service level: *${stage}* has lasted longer than allowed. It began ${since}.`,
  dmLater: 'If it is still there after the escalation delay, the channel\'s escalation contact is mentioned in its thread.',
  escalation: (target: string, id: string, stage: string, lasted: string, limit: string) =>
    `${target} :rotating_light: Video KYC ${codeSpan(id)} is over its service level: *${stage}* has lasted about ${lasted} (limit ${limit}). Its owner was told first; please look at it.`,
};
