import { historyMessage } from '../../slack/blocks.js';
import { say } from '../../text/words.js';
import type { CommandDeps, Invocation, Outcome } from '../context.js';
import { localVerificationId } from '../../tracking/fetch.js';
import type { Target } from './parse.js';
import { describeTarget } from './parse.js';

/** `/kyc history`: every status the bot observed for a verification, with times. */
export async function showHistory(deps: CommandDeps, inv: Invocation, target: Target): Promise<Outcome> {
  const verificationId = localVerificationId(deps, target);
  const entries = verificationId === undefined ? [] : deps.store.history(verificationId);
  if (verificationId === undefined || entries.length === 0) {
    await inv.reply(say.noHistory(describeTarget(target)));
    return { result: 'ok', code: 'no_history' };
  }
  await inv.reply(historyMessage(verificationId, entries).text);
  return { result: 'ok' };
}
