import { openTrackingCard } from '../../tracking/card.js';
import { claimOwnership } from '../../tracking/owner.js';
import { say } from '../../text/words.js';
import { observe } from '../../tracking/observe.js';
import type { CommandDeps, Invocation, Outcome } from '../context.js';
import { fetchVkyc } from '../../tracking/fetch.js';
import type { Target } from './parse.js';

/**
 * `/kyc track`: fetches the current state, posts the parent message that its
 * thread will hang from, and starts tracking. The tracking row is claimed
 * before posting, so two agents racing on the same verification get one thread.
 */
export async function trackVerification(deps: CommandDeps, inv: Invocation, target: Target): Promise<Outcome> {
  const state = await fetchVkyc(deps, target);
  const { finalReason } = observe(deps, state, deps.now(), inv.userId);
  if (finalReason !== undefined) {
    await inv.reply(say.alreadyFinal(state.verificationId, state.status, state.subStatus));
    return { result: 'ok', code: 'already_final' };
  }
  const card = await openTrackingCard(deps, inv.slack, { state, channelId: inv.channelId, teamId: inv.teamId, trackedBy: inv.userId });
  if (!card.created) {
    await inv.reply(say.alreadyTracked(state.verificationId, card.tracking.permalink));
    return { result: 'ok', code: 'already_tracked' };
  }
  deps.store.audit(
    { actor: inv.userId, teamId: inv.teamId, channelId: inv.channelId, action: 'tracking_started', subject: state.verificationId },
    deps.now(),
  );
  claimOwnership(deps.store, { verificationId: state.verificationId, userId: inv.userId, how: 'tracked', nowMs: deps.now() });
  await inv.reply(say.nowTracking(state.verificationId, card.permalink ?? null));
  return { result: 'ok' };
}
