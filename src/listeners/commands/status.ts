import { statusMessage } from '../../slack/blocks.js';
import { observe } from '../../tracking/observe.js';
import type { CommandDeps, Invocation, Outcome } from '../context.js';
import { fetchVkyc } from '../../tracking/fetch.js';
import type { Target } from './parse.js';

/** `/kyc status`: the current state, only to the agent. A change it reveals is recorded for the threads too. */
export async function showStatus(deps: CommandDeps, inv: Invocation, target: Target): Promise<Outcome> {
  const state = await fetchVkyc(deps, target);
  const known = deps.store.verification(state.verificationId);
  if (known !== undefined && known.next_poll_at !== null) observe(deps, state);
  await inv.reply(statusMessage(state, deps.store.activeTracking(state.verificationId, inv.channelId)).text);
  return { result: 'ok' };
}
