import { historyPage } from '../slack/list-pages.js';
import { PAGE_SIZE, pageOf } from '../slack/paging.js';
import { say } from '../text.js';
import type { CommandDeps, Invocation, Outcome } from './context.js';
import { localVerificationId } from './lookup.js';
import type { Target } from './parse.js';
import { describeTarget } from './parse.js';

/** `/kyc history` (and its page buttons): one page of every status the bot observed for a verification, oldest first. */
export async function showHistory(deps: CommandDeps, inv: Invocation, target: Target, requestedPage = 1): Promise<Outcome> {
  const verificationId = localVerificationId(deps, target);
  const entries = verificationId === undefined ? [] : deps.store.history(verificationId);
  if (verificationId === undefined || entries.length === 0) {
    await inv.show({ text: say.noHistory(describeTarget(target)) });
    return { result: 'ok', code: 'no_history' };
  }
  const page = pageOf(entries.length, requestedPage, PAGE_SIZE);
  await inv.show(historyPage(verificationId, page, entries.slice(page.offset, page.offset + PAGE_SIZE)));
  return { result: 'ok' };
}
