import type { WebClient } from '@slack/web-api';
import type { Logger } from '../log.js';
import { digestMessage } from '../slack/digest.js';
import { slackFailure } from '../slack/failures.js';
import type { Store } from '../store/store.js';
import { pacedCall, type SlackPacer } from '../tracking/pacing.js';
import { stuckAfterMsFor } from '../vkyc/channel-settings.js';

export interface DigestDeps {
  store: Store;
  slack: WebClient;
  slackPacer: SlackPacer;
  logger: Logger;
  now: () => number;
  stuckAfterMs: number;
}

const DAY_MS = 24 * 60 * 60_000;
/** A channel's first digest reports outcomes of the last day; later ones, since the one before. */
const FIRST_DIGEST_LOOKBACK_MS = DAY_MS;
/** Channels whose last tracking ended longer ago than this get no digest. */
const QUIET_CHANNEL_MS = 7 * DAY_MS;

/** How long a digest may wait for its channel's turn (Slack's per-channel rate). */
const DIGEST_SLACK_WAIT_MS = 30_000;

/** One top-level digest per channel with something to say; returns how many were posted. */
export async function postDigests(deps: DigestDeps): Promise<number> {
  const now = deps.now();
  const tracked = deps.store.trackedStates();
  let posted = 0;
  for (const channel of deps.store.digestChannels(now - QUIET_CHANNEL_MS)) {
    const since = deps.store.lastDigestAt(channel) ?? now - FIRST_DIGEST_LOOKBACK_MS;
    const message = digestMessage({
      tracked: tracked.filter((row) => row.channel_id === channel),
      outcomes: deps.store.outcomesSince(channel, since),
      sinceMs: since,
      nowMs: now,
      stuckAfterMs: stuckAfterMsFor(deps.store.channels.settings(channel), deps.stuckAfterMs),
    });
    if (message === undefined) continue;
    try {
      await pacedCall(deps.slackPacer, { method: 'chat.postMessage', channel }, DIGEST_SLACK_WAIT_MS, () =>
        deps.slack.chat.postMessage({ channel, ...message, unfurl_links: false }),
      );
      deps.store.setDigestAt(channel, now);
      posted += 1;
    } catch (error) {
      deps.logger.warn('digest not posted', { channel, slack_error: slackFailure(error).code });
    }
  }
  return posted;
}
