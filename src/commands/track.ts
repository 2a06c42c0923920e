import { parentCard } from '../slack/blocks.js';
import { say } from '../text.js';
import { finalReasonFor } from '../vkyc/lifecycle.js';
import type { VkycState } from '../cashfree/schemas.js';
import type { CommandDeps, Invocation, Outcome } from './context.js';
import { fetchVkyc } from './lookup.js';
import type { Target } from './parse.js';

/**
 * `/kyc track`: fetches the current state, posts the parent message that its
 * thread will hang from, and starts tracking. The tracking row is claimed
 * before posting, so two agents racing on the same verification get one thread.
 */
export async function trackVerification(deps: CommandDeps, inv: Invocation, target: Target): Promise<Outcome> {
  const state = await fetchVkyc(deps, target);
  const now = deps.now();
  const finalReason = finalReasonFor(state.status, state.linkExpiry, deps.config.kyc.terminalStatuses, now);
  deps.store.recordObservation({ state, nowMs: now, finalReason });
  if (finalReason !== undefined) {
    await inv.reply(say.alreadyFinal(state.verificationId, state.status, state.subStatus));
    return { result: 'ok', code: 'already_final' };
  }
  const card = await postTrackingCard(deps, inv, state);
  if (!card.created) {
    await inv.reply(say.alreadyTracked(state.verificationId, card.permalink));
    return { result: 'ok', code: 'already_tracked' };
  }
  await inv.reply(say.nowTracking(state.verificationId, card.permalink));
  return { result: 'ok' };
}

/**
 * Starts tracking an observed, not yet final verification in the invocation's channel: claims the
 * tracking row, posts the parent card its thread hangs from, and audits who started it. The row is
 * claimed before posting, so two agents racing on the same verification get one thread.
 */
export async function postTrackingCard(
  deps: CommandDeps,
  inv: Pick<Invocation, 'userId' | 'channelId' | 'teamId' | 'slack'>,
  state: VkycState,
): Promise<{ created: boolean; permalink: string | null }> {
  const claim = deps.store.startTracking({
    verificationId: state.verificationId,
    teamId: inv.teamId,
    channelId: inv.channelId,
    trackedBy: inv.userId,
    nowMs: deps.now(),
  });
  if (!claim.created) return { created: false, permalink: claim.tracking.permalink };
  let parentTs: string;
  try {
    const parent = await inv.slack.chat.postMessage({
      channel: inv.channelId,
      ...parentCard(state, inv.userId, deps.now()),
      metadata: { event_type: 'kyc_verification', event_payload: { verification_id: state.verificationId } },
      unfurl_links: false,
    });
    if (parent.ts === undefined) throw new Error('Slack did not return the message ts');
    parentTs = parent.ts;
  } catch (error) {
    deps.store.abandonTracking(claim.id, state.verificationId);
    throw error;
  }
  const permalink = await inv.slack.chat
    .getPermalink({ channel: inv.channelId, message_ts: parentTs })
    .then((answer) => answer.permalink)
    .catch(() => undefined);
  deps.store.setParent(claim.id, parentTs, permalink);
  deps.store.audit(
    { actor: inv.userId, teamId: inv.teamId, channelId: inv.channelId, action: 'tracking_started', subject: state.verificationId },
    deps.now(),
  );
  return { created: true, permalink: permalink ?? null };
}
