import type { WebClient } from '@slack/web-api';
import type { Logger } from '../log.js';
import { slackFailure } from '../slack/failures.js';
import type { Store } from '../store/store.js';
import { pacedCall, type SlackPacer } from '../tracking/pacing.js';
import type { TrackedState } from '../store/reports.js';
import { say } from '../text/words.js';
import { isLinkAboutToExpire, isStuck, waitKey } from '../vkyc/alerts.js';
import { stuckAfterMsFor } from '../vkyc/channel-settings.js';
import { describeStatus } from '../vkyc/descriptions.js';

export interface AlertDeps {
  store: Store;
  slack: WebClient;
  slackPacer: SlackPacer;
  logger: Logger;
  now: () => number;
  stuckAfterMs: number;
}

interface Note {
  kind: 'stuck' | 'expiry';
  key: string;
  text: string;
}

function notesFor(row: TrackedState, nowMs: number, stuckAfterMs: number): Note[] {
  const notes: Note[] = [];
  const wait = { status: row.status, subStatus: row.sub_status, sinceMs: row.since };
  if (isStuck(wait, nowMs, stuckAfterMs)) {
    const minutes = Math.floor((nowMs - row.since) / 60_000);
    notes.push({ kind: 'stuck', key: waitKey(wait), text: say.stuckNote(row.tracked_by, minutes, describeStatus(row.status, row.sub_status)) });
  }
  if (row.link_expiry !== null && isLinkAboutToExpire(row.status, row.link_expiry, nowMs)) {
    const minutes = Math.max(1, Math.round((Date.parse(row.link_expiry) - nowMs) / 60_000));
    notes.push({ kind: 'expiry', key: row.link_expiry, text: say.expiryNote(row.tracked_by, minutes) });
  }
  return notes;
}

/** Each channel's stuck threshold (`/kyc settings`), else KYC_STUCK_AFTER_SECONDS; read once per channel and run. */
function stuckThresholds(deps: AlertDeps): (channelId: string) => number {
  const known = new Map<string, number>();
  return (channelId) => {
    let ms = known.get(channelId);
    if (ms === undefined) {
      ms = stuckAfterMsFor(deps.store.channels.settings(channelId), deps.stuckAfterMs);
      known.set(channelId, ms);
    }
    return ms;
  };
}

/**
 * Posts a threaded note for each verification stuck in one waiting state, and for each unused link about
 * to expire. Each note is marked in the store before it is posted, so it is sent once per wait; a failed
 * post, or one its channel has no slot for now (Slack's per-channel rate), clears the mark and is tried again later.
 */
export async function postAlerts(deps: AlertDeps): Promise<number> {
  const now = deps.now();
  // Read first, one row at a time, keeping only the notes: with many tracked verifications this stays small.
  const due: { row: TrackedState; note: Note }[] = [];
  const stuckAfter = stuckThresholds(deps);
  for (const row of deps.store.eachTrackedState()) {
    for (const note of notesFor(row, now, stuckAfter(row.channel_id))) due.push({ row, note });
  }
  let posted = 0;
  for (const { row, note } of due) {
    if (!deps.store.claimAlert(row.tracking_id, note.kind, note.key, now)) continue;
    try {
      await pacedCall(deps.slackPacer, { method: 'chat.postMessage', channel: row.channel_id }, 0, () =>
        deps.slack.chat.postMessage({ channel: row.channel_id, thread_ts: row.thread_ts ?? row.parent_ts, text: note.text, unfurl_links: false }),
      );
      posted += 1;
    } catch (error) {
      const failure = slackFailure(error);
      // A thread that is gone will not come back; any other failure is retried.
      if (!failure.targetGone) deps.store.releaseAlert(row.tracking_id, note.kind, note.key);
      deps.logger.warn('alert not posted', { verification_id: row.verification_id, channel: row.channel_id, kind: note.kind, slack_error: failure.code });
    }
  }
  return posted;
}
