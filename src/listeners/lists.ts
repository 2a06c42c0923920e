import { historyPage, listPage } from '../slack/list-pages.js';
import { PAGE_SIZE, pageOf } from '../slack/paging.js';
import { localVerificationId } from '../tracking/fetch.js';
import { say } from '../text/words.js';
import type { VkycLookup } from '../cashfree/client.js';
import type { CommandDeps, Invocation, Outcome } from './context.js';

/** Shown by `/kyc list` and `/kyc history` and by their page buttons alike. */

/** One page of the verifications tracked in this channel, newest first. */
export async function listTracked(deps: CommandDeps, inv: Invocation, requestedPage = 1): Promise<Outcome> {
  const total = deps.store.listedCount(inv.channelId);
  if (total === 0) {
    await inv.show({ text: say.nothingTracked });
    return { result: 'ok', code: 'nothing_tracked' };
  }
  const page = pageOf(total, requestedPage, PAGE_SIZE);
  await inv.show(listPage(page, deps.store.listedPage(inv.channelId, page.offset, PAGE_SIZE)));
  return { result: 'ok' };
}

/** One page of every status the bot observed for a verification, oldest first. */
export async function showHistory(deps: CommandDeps, inv: Invocation, target: VkycLookup, describe: string, requestedPage = 1): Promise<Outcome> {
  const verificationId = localVerificationId(deps, target);
  const entries = verificationId === undefined ? [] : deps.store.history(verificationId);
  if (verificationId === undefined || entries.length === 0) {
    await inv.show({ text: say.noHistory(describe) });
    return { result: 'ok', code: 'no_history' };
  }
  const page = pageOf(entries.length, requestedPage, PAGE_SIZE);
  await inv.show(historyPage(verificationId, page, entries.slice(page.offset, page.offset + PAGE_SIZE)));
  return { result: 'ok' };
}
