import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import type { Logger } from '../log.js';
import type { SlackPostKind, SlackPostOutcome } from '../metrics.js';
import { changeReply, parentCard } from '../slack/blocks.js';
import { slackFailure } from '../slack/failures.js';
import { verificationFromRow, type PendingDelivery, type Store, type TrackingRow } from '../store/store.js';
import { nextDeliveryAt, type Backoff } from '../vkyc/lifecycle.js';
import { runPool } from './pool.js';

export interface DeliveryDeps {
  store: Store;
  slack: WebClient;
  logger: Logger;
  now: () => number;
  backoff: Backoff;
  /** Told of every post and parent update, for the metrics. */
  onSlackPost?: (kind: SlackPostKind, outcome: SlackPostOutcome) => void;
}

type ParentDeps = Pick<DeliveryDeps, 'store' | 'slack' | 'logger' | 'now' | 'onSlackPost'>;

export interface DeliveryStats {
  posted: number;
  failed: number;
}

/** Threads posted to at once; each thread's replies still go strictly in order. */
const THREAD_CONCURRENCY = 4;

/**
 * Posts pending changes in their threads, oldest first per thread. A change is
 * marked posted only after Slack confirms; a failure leaves it (and everything
 * after it in that thread) pending for a later tick, so nothing is lost or reordered.
 */
export async function deliverPending(deps: DeliveryDeps, pending: PendingDelivery[]): Promise<DeliveryStats> {
  const stats: DeliveryStats = { posted: 0, failed: 0 };
  const byThread = new Map<number, PendingDelivery[]>();
  for (const delivery of pending) {
    const list = byThread.get(delivery.tracking.id) ?? [];
    list.push(delivery);
    byThread.set(delivery.tracking.id, list);
  }
  const threads = [...byThread.values()];
  await runPool(THREAD_CONCURRENCY, () => threads.shift(), async (thread) => {
    const result = await deliverThread(deps, thread);
    stats.posted += result.posted;
    stats.failed += result.failed;
  });
  return stats;
}

/**
 * One thread's pending changes, in order. Only the Slack call sits inside the
 * `try`: once Slack has accepted a reply, a local failure recording it (a busy
 * or full database) propagates and fails the tick, and the sending mark set
 * before the post stays, so the next attempt finds the reply in the thread
 * instead of posting it twice.
 */
async function deliverThread(deps: DeliveryDeps, thread: PendingDelivery[]): Promise<DeliveryStats> {
  const stats: DeliveryStats = { posted: 0, failed: 0 };
  for (const delivery of thread) {
    const { tracking, change, next_attempt_at } = delivery;
    const now = deps.now();
    if (next_attempt_at > now || tracking.parent_ts === null) break;
    // An earlier attempt ended in doubt (the process died mid-post, or Slack timed out): look in the thread first.
    let replyTs = delivery.sending_since === null ? undefined : await findReply(deps, tracking, tracking.parent_ts, change.id);
    if (replyTs === undefined) {
      deps.store.markSending(tracking.id, change.id, deps.now());
      try {
        replyTs = await postReply(deps, delivery, tracking.parent_ts);
      } catch (error) {
        stats.failed += 1;
        recordPostFailure(deps, delivery, error);
        return stats;
      }
    }
    deps.store.markPosted(tracking.id, change.id, replyTs, deps.now());
    deps.onSlackPost?.('reply', 'ok');
    stats.posted += 1;
    if (change.final_reason !== null) {
      deps.store.endTracking(tracking.id, tracking.verification_id, deps.now(), 'bot', change.final_reason);
    }
  }
  if (stats.posted > 0) await refreshParent(deps, thread[0]?.tracking);
  return stats;
}

function recordPostFailure(deps: DeliveryDeps, { tracking, change, attempts }: PendingDelivery, error: unknown): void {
  const failure = slackFailure(error);
  deps.onSlackPost?.('reply', failure.targetGone ? 'gone' : 'failed');
  if (failure.targetGone) {
    endGoneTracking(deps, tracking, failure.code);
    return;
  }
  // A post in doubt is retried at the next tick (the retry searches the thread first); others back off.
  const retryAt = nextDeliveryAt(failure.inDoubt ? 1 : attempts + 1, deps.now(), deps.backoff, failure.retryAfterMs);
  deps.store.markDeliveryFailed(tracking.id, change.id, failure.code, retryAt, failure.inDoubt);
  deps.logger.warn('status change not posted; will retry', {
    verification_id: tracking.verification_id,
    channel: tracking.channel_id,
    change_id: change.id,
    slack_error: failure.code,
    attempts: attempts + 1,
    retry_in_ms: retryAt - deps.now(),
  });
}

/**
 * Posts one change in its thread and returns the reply's ts. The reply carries the change id in its
 * metadata, so a retry after a post in doubt can find it in the thread instead of posting it twice.
 */
async function postReply(deps: DeliveryDeps, { tracking, change }: PendingDelivery, parentTs: string): Promise<string> {
  const reply = await deps.slack.chat.postMessage({
    channel: tracking.channel_id,
    thread_ts: parentTs,
    ...changeReply(change),
    reply_broadcast: change.final_reason !== null,
    unfurl_links: false,
    unfurl_media: false,
    metadata: { event_type: CHANGE_EVENT, event_payload: { verification_id: change.verification_id, change_id: change.id } },
  });
  return reply.ts ?? '';
}

const CHANGE_EVENT = 'kyc_status_change';
/** Threads longer than this are not searched: a verification has a few dozen changes at most. */
const MAX_REPLY_PAGES = 5;
const replyMetadata = z.object({ event_type: z.literal(CHANGE_EVENT), event_payload: z.object({ change_id: z.number() }) });

/** The ts of the reply that already carries this change, if any. A failed search means "not found" (post again). */
async function findReply(deps: DeliveryDeps, tracking: TrackingRow, parentTs: string, changeId: number): Promise<string | undefined> {
  let cursor: string | undefined;
  try {
    for (let page = 0; page < MAX_REPLY_PAGES; page += 1) {
      const answer = await deps.slack.conversations.replies({ channel: tracking.channel_id, ts: parentTs, include_all_metadata: true, limit: 200, cursor });
      for (const message of answer.messages ?? []) {
        const metadata = replyMetadata.safeParse(message.metadata);
        if (metadata.success && metadata.data.event_payload.change_id === changeId && message.ts !== undefined) {
          deps.logger.info('reply already in the thread from an earlier attempt; not posting it again', {
            verification_id: tracking.verification_id,
            channel: tracking.channel_id,
            change_id: changeId,
          });
          return message.ts;
        }
      }
      cursor = answer.response_metadata?.next_cursor;
      if (!answer.has_more || !cursor) return undefined;
    }
  } catch (error) {
    deps.logger.warn('could not check the thread for a reply that may have been posted; posting it', {
      verification_id: tracking.verification_id,
      channel: tracking.channel_id,
      change_id: changeId,
      slack_error: slackFailure(error).code,
    });
  }
  return undefined;
}

/** Re-renders a parent message with the latest known status. Failures leave it marked stale for the next tick. */
export async function refreshParent(deps: ParentDeps, tracking: TrackingRow | undefined, endedNote?: string): Promise<void> {
  if (tracking === undefined || tracking.parent_ts === null) return;
  const row = deps.store.verification(tracking.verification_id);
  if (row === undefined) return;
  const ended = endedNote ?? (row.next_poll_at === null ? 'tracking ended' : undefined);
  try {
    await deps.slack.chat.update({
      channel: tracking.channel_id,
      ts: tracking.parent_ts,
      ...parentCard(verificationFromRow(row), tracking.tracked_by, row.observed_at, ended),
    });
    deps.store.parentFresh(tracking.id);
    deps.onSlackPost?.('parent_update', 'ok');
  } catch (error) {
    const failure = slackFailure(error);
    deps.onSlackPost?.('parent_update', failure.targetGone ? 'gone' : 'failed');
    if (failure.targetGone) {
      endGoneTracking(deps, tracking, failure.code);
      return;
    }
    deps.logger.warn('parent message not updated; will retry', {
      verification_id: tracking.verification_id,
      channel: tracking.channel_id,
      slack_error: failure.code,
    });
  }
}

/** Parents whose update failed earlier and have no replies waiting. */
export async function refreshStaleParents(deps: DeliveryDeps): Promise<void> {
  const stale = deps.store.staleParents(deps.now());
  await runPool(THREAD_CONCURRENCY, () => stale.shift(), (tracking) => refreshParent(deps, tracking));
}

function endGoneTracking(deps: ParentDeps, tracking: TrackingRow, code: string): void {
  deps.store.endTracking(tracking.id, tracking.verification_id, deps.now(), 'bot', 'parent_deleted');
  // A parent that is gone can never be refreshed: without this, every tick would try again.
  deps.store.parentFresh(tracking.id);
  deps.logger.warn('parent message is gone from Slack; tracking ended', {
    verification_id: tracking.verification_id,
    channel: tracking.channel_id,
    slack_error: code,
  });
}
