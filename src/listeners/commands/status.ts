import { statusMessage } from '../../slack/blocks.js';
import { remarksLines } from '../../slack/owner-dm.js';
import { SLACK_LIMITS } from '../../slack/limits.js';
import { clip } from '../../text/mrkdwn.js';
import { ownerWords } from '../../text/words.js';
import { observe } from '../../tracking/observe.js';
import type { CommandDeps, Invocation, Outcome } from '../context.js';
import { fetchVkyc } from '../../tracking/fetch.js';
import type { Target } from './parse.js';

/**
 * `/kyc status`: the current state, only to the agent, with the agent's and auditor's remarks when Cashfree gives
 * them (free text: this ephemeral answer is the only place besides the owner's DM where they appear). A change it
 * reveals is recorded for the threads too, as this agent's own doing.
 */
export async function showStatus(deps: CommandDeps, inv: Invocation, target: Target): Promise<Outcome> {
  const state = await fetchVkyc(deps, target);
  const known = deps.store.verification(state.verificationId);
  if (known !== undefined && known.next_poll_at !== null) observe(deps, state, deps.now(), inv.userId);
  const remarks = remarksLines(state.remarks);
  const text = statusMessage(state, deps.store.activeTracking(state.verificationId, inv.channelId)).text;
  await inv.reply(remarks.length === 0 ? text : clip([text, ...remarks, ownerWords.remarksPrivate].join('\n'), SLACK_LIMITS.text));
  return { result: 'ok' };
}
