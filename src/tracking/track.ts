import type { WebClient } from '@slack/web-api';
import type { VkycLookup } from '../cashfree/client.js';
import type { VkycState } from '../cashfree/schemas.js';
import { openTrackingCard } from './card.js';
import { claimOwnership } from './owner.js';
import { fetchVkyc, type FetchDeps } from './fetch.js';
import { observe, type ObserveDeps } from './observe.js';
import type { SlackPacer } from './pacing.js';
import type { Store } from '../store/store.js';

export type TrackResult =
  | { kind: 'final'; state: VkycState }
  | { kind: 'already_tracked'; verificationId: string; permalink: string | null }
  | { kind: 'tracked'; verificationId: string; permalink: string | null };

/**
 * Follows a verification in a channel (`/kyc track`, the message shortcut): fetches its current state
 * within the request budget, records it, and opens its card, in `threadTs` when given. A final state is
 * not tracked; a channel that already tracks it keeps its one thread. Cashfree's and Slack's failures
 * propagate, for each surface to word.
 */
export async function trackInChannel(
  deps: FetchDeps & ObserveDeps & { store: Store; slackPacer: SlackPacer },
  slack: WebClient,
  request: { target: VkycLookup; channelId: string; teamId: string | undefined; userId: string; threadTs?: string | undefined },
): Promise<TrackResult> {
  const state = await fetchVkyc(deps, request.target);
  const { finalReason } = observe(deps, state, deps.now(), request.userId);
  if (finalReason !== undefined) return { kind: 'final', state };
  const card = await openTrackingCard(deps, slack, {
    state,
    channelId: request.channelId,
    teamId: request.teamId,
    trackedBy: request.userId,
    threadTs: request.threadTs,
  });
  if (!card.created) return { kind: 'already_tracked', verificationId: state.verificationId, permalink: card.tracking.permalink };
  deps.store.audit(
    { actor: request.userId, teamId: request.teamId, channelId: request.channelId, action: 'tracking_started', subject: state.verificationId },
    deps.now(),
  );
  claimOwnership(deps.store, { verificationId: state.verificationId, userId: request.userId, how: 'tracked', nowMs: deps.now() });
  return { kind: 'tracked', verificationId: state.verificationId, permalink: card.permalink ?? null };
}
