import type { ActionsBlock, Button, KnownBlock } from '@slack/types';
import type { ListedTracking } from '../vkyc/types.js';
import type { HistoryEntry } from '../vkyc/types.js';
import { say } from '../text/words.js';
import { statusLine, type SlackMessage } from './blocks.js';
import { clip, codeSpan, slackLink } from '../text/mrkdwn.js';
import { SLACK_LIMITS } from './limits.js';
import { contextOf, sectionsOf, type Page } from './paging.js';
import { slackDate } from './time.js';

/**
 * `/kyc list` and `/kyc history` a page at a time: every row on a page is shown whole, the page says which
 * rows of how many it shows, and buttons lead to the other pages and to the whole list as a CSV.
 */

/** Block and action ids the interaction listeners match on. */
export const PAGE_ACTIONS = {
  listBlock: 'kyc_list_pages',
  listPrevious: 'kyc_list_previous',
  listNext: 'kyc_list_next',
  listCsv: 'kyc_list_csv',
  historyBlock: 'kyc_history_pages',
  historyPrevious: 'kyc_history_previous',
  historyNext: 'kyc_history_next',
  historyCsv: 'kyc_history_csv',
} as const;

/**
 * What a page button carries: the page, and for a history the verification. The channel is never in it: a
 * click's channel comes from Slack's payload, so a button cannot show another channel's list.
 */
export interface PageValue {
  page: number;
  id?: string;
}

export function pageValue(value: PageValue): string {
  return JSON.stringify(value);
}

function button(actionId: string, text: string, value: PageValue): Button {
  return { type: 'button', action_id: actionId, text: { type: 'plain_text', text: clip(text, SLACK_LIMITS.buttonText) }, value: pageValue(value) };
}

/** Previous and Next where there is such a page, and the CSV; nothing when one page holds everything. */
function pageButtons(page: Page, ids: { block: string; previous: string; next: string; csv: string }, id?: string): ActionsBlock[] {
  if (page.pages === 1) return [];
  const at = (n: number): PageValue => (id === undefined ? { page: n } : { page: n, id });
  // A value names the verification; one too long for a button (Cashfree documents at most 50) gets no buttons.
  if (pageValue(at(page.pages)).length > SLACK_LIMITS.buttonValue) return [];
  const elements: Button[] = [];
  if (page.number > 1) elements.push(button(ids.previous, say.pageButtons.previous, at(page.number - 1)));
  if (page.number < page.pages) elements.push(button(ids.next, say.pageButtons.next, at(page.number + 1)));
  elements.push(button(ids.csv, say.pageButtons.csv(page.total), at(page.number)));
  return [{ type: 'actions', block_id: ids.block, elements }];
}

export function listedLine(row: ListedTracking): string {
  const thread = row.permalink === null ? '' : ` · ${slackLink(row.permalink, 'thread')}`;
  const failed = row.check_failed === 1 ? ' · :warning: last check failed' : '';
  return `• ${codeSpan(row.verification_id, 60)}: ${statusLine(row.status, row.sub_status)}${thread}${failed}`;
}

/** One page of what this channel follows, newest first; `rows` are that page's rows. */
export function listPage(page: Page, rows: readonly ListedTracking[]): SlackMessage {
  const blocks: KnownBlock[] = [
    { type: 'section', text: { type: 'mrkdwn', text: say.listTitle(page.total) } },
    contextOf(say.shown(page, 'newest first')),
    ...sectionsOf(rows.map(listedLine)),
    ...pageButtons(page, { block: PAGE_ACTIONS.listBlock, previous: PAGE_ACTIONS.listPrevious, next: PAGE_ACTIONS.listNext, csv: PAGE_ACTIONS.listCsv }),
  ];
  return { text: say.listSummary(page), blocks };
}

export function historyLine(entry: HistoryEntry): string {
  const posted = entry.first_posted_at === null ? '' : `, posted ${slackDate(entry.first_posted_at)}`;
  return `• ${slackDate(entry.observed_at)}: ${statusLine(entry.status, entry.sub_status)}${posted}`;
}

/** One page of every status the bot observed for a verification, oldest first; `entries` are that page's. */
export function historyPage(verificationId: string, page: Page, entries: readonly HistoryEntry[]): SlackMessage {
  const ids = { block: PAGE_ACTIONS.historyBlock, previous: PAGE_ACTIONS.historyPrevious, next: PAGE_ACTIONS.historyNext, csv: PAGE_ACTIONS.historyCsv };
  const blocks: KnownBlock[] = [
    { type: 'section', text: { type: 'mrkdwn', text: say.historyTitle(verificationId, page.total) } },
    contextOf(say.shown(page, 'oldest first')),
    ...sectionsOf(entries.map(historyLine)),
    ...pageButtons(page, ids, verificationId),
  ];
  return { text: clip(say.historySummary(verificationId, page), SLACK_LIMITS.text), blocks };
}
