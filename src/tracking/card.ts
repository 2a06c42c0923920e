import type { WebClient } from '@slack/web-api';
import type { VkycState } from '../cashfree/schemas.js';
import type { Store, TrackingRow } from '../store/store.js';
import type { Logger } from '../log.js';
import { parentCard } from '../slack/blocks.js';
import { slackFailure } from '../slack/failures.js';
import { say } from '../text/words.js';
import { threadOf } from '../vkyc/types.js';
import { refreshParent } from './deliver.js';
import { stoppedMention } from './owner.js';
import { INTERACTIVE_SLACK_WAIT_MS, pacedCall, type SlackPacer } from './pacing.js';

export type OpenedCard = { created: true; trackingId: number; parentTs: string; permalink: string | undefined } | { created: false; tracking: TrackingRow };

/**
 * Starts tracking a verification in a channel and posts the parent card its thread hangs from. The
 * tracking row is claimed before posting, so two agents (or an agent and a webhook) racing on the same
 * verification get one thread. The post waits its turn in the channel's lane (Slack's per-channel
 * rate); a failed post, or no turn in time, gives the claim back and throws. With `threadTs` the card is
 * a reply in that thread (a message shortcut's message, a card started again), and so are its replies.
 */
export async function openTrackingCard(
  deps: { store: Store; now: () => number; slackPacer: SlackPacer },
  slack: WebClient,
  card: { state: VkycState; channelId: string; teamId: string | undefined; trackedBy: string; threadTs?: string | undefined; openedByRule?: boolean },
): Promise<OpenedCard> {
  const now = deps.now();
  const { state, channelId, threadTs } = card;
  const claim = deps.store.startTracking({
    verificationId: state.verificationId,
    teamId: card.teamId,
    channelId,
    threadTs,
    trackedBy: card.trackedBy,
    nowMs: now,
    openedByRule: card.openedByRule,
  });
  if (!claim.created) return { created: false, tracking: claim.tracking };
  let parentTs: string;
  try {
    const parent = await pacedCall(deps.slackPacer, { method: 'chat.postMessage', channel: channelId }, INTERACTIVE_SLACK_WAIT_MS, () =>
      slack.chat.postMessage({
        channel: channelId,
        ...(threadTs === undefined ? {} : { thread_ts: threadTs }),
        ...parentCard(state, card.trackedBy, now),
        metadata: { event_type: 'kyc_verification', event_payload: { verification_id: state.verificationId } },
        unfurl_links: false,
      }),
    );
    if (parent.ts === undefined) throw new Error('Slack did not return the message ts');
    parentTs = parent.ts;
  } catch (error) {
    deps.store.abandonTracking(claim.id, state.verificationId);
    throw error;
  }
  const permalink = await slack.chat
    .getPermalink({ channel: channelId, message_ts: parentTs })
    .then((answer) => answer.permalink)
    .catch(() => undefined);
  deps.store.setParent(claim.id, parentTs, permalink);
  return { created: true, trackingId: claim.id, parentTs, permalink };
}

export type StopResult = { stopped: true; verificationId: string } | { stopped: false };

/**
 * Ends a channel's tracking of a verification on an agent's request: recorded and audited, said in the
 * thread with who stopped it, and the card updated to show it ended. Slack failures after the tracking
 * has ended are logged, never undone.
 */
export async function stopTracking(
  deps: { store: Store; now: () => number; logger: Logger; slackPacer: SlackPacer },
  slack: WebClient,
  request: { verificationId: string | undefined; channelId: string; teamId: string | undefined; by: string },
): Promise<StopResult> {
  const { verificationId, channelId } = request;
  const tracking = verificationId === undefined ? undefined : deps.store.activeTracking(verificationId, channelId);
  if (verificationId === undefined || tracking === undefined) return { stopped: false };
  deps.store.endTracking(tracking.id, verificationId, deps.now(), request.by, 'untracked');
  deps.store.audit({ actor: request.by, teamId: request.teamId, channelId, action: 'tracking_stopped', subject: verificationId }, deps.now());
  const thread = threadOf(tracking);
  if (tracking.parent_ts !== null && thread !== null) {
    try {
      const parentTs = thread;
      const mention = stoppedMention(deps.store, verificationId, request.by);
      const text = mention === undefined ? say.untrackedInThread(request.by) : `${say.untrackedInThread(request.by)} ${mention}`;
      await pacedCall(deps.slackPacer, { method: 'chat.postMessage', channel: channelId }, INTERACTIVE_SLACK_WAIT_MS, () =>
        slack.chat.postMessage({ channel: channelId, thread_ts: parentTs, text }),
      );
    } catch (error) {
      deps.logger.warn('could not announce untrack in the thread', { verification_id: verificationId, channel: channelId, slack_error: slackFailure(error).code });
    }
    await refreshParent({ ...deps, slack }, tracking, { endedNote: 'tracking stopped' });
  }
  return { stopped: true, verificationId };
}
