import { listPage } from '../slack/list-pages.js';
import { PAGE_SIZE, pageOf } from '../slack/paging.js';
import { say } from '../text.js';
import type { CommandDeps, Invocation, Outcome } from './context.js';

/** `/kyc list` (and its page buttons): one page of the verifications tracked in this channel, newest first. */
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
