import type { WebClient } from '@slack/web-api';
import type { Logger } from '../log.js';
import { changeReply, parentCard, verificationFromRow } from '../slack/blocks.js';
import { slackFailure } from '../slack/failures.js';
import type { PendingDelivery, Store, TrackingRow } from '../store/store.js';
import { nextDeliveryAt, type Backoff } from '../vkyc/lifecycle.js';
import { runPool } from './pool.js';

export interface DeliveryDeps {
  store: Store;
  slack: WebClient;
  logger: Logger;
  now: () => number;
  backoff: Backoff;
}

type ParentDeps = Pick<DeliveryDeps, 'store' | 'slack' | 'logger' | 'now'>;

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

async function deliverThread(deps: DeliveryDeps, thread: PendingDelivery[]): Promise<DeliveryStats> {
  const stats: DeliveryStats = { posted: 0, failed: 0 };
  for (const { tracking, change, attempts, next_attempt_at } of thread) {
    const now = deps.now();
    if (next_attempt_at > now || tracking.parent_ts === null) break;
    try {
      const reply = await deps.slack.chat.postMessage({
        channel: tracking.channel_id,
        thread_ts: tracking.parent_ts,
        ...changeReply(change),
        reply_broadcast: change.final_reason !== null,
        unfurl_links: false,
        unfurl_media: false,
      });
      deps.store.markPosted(tracking.id, change.id, reply.ts ?? '', deps.now());
      stats.posted += 1;
      if (change.final_reason !== null) {
        deps.store.endTracking(tracking.id, tracking.verification_id, deps.now(), 'bot', change.final_reason);
      }
    } catch (error) {
      stats.failed += 1;
      const failure = slackFailure(error);
      if (failure.targetGone) {
        endGoneTracking(deps, tracking, failure.code);
        return stats;
      }
      const retryAt = nextDeliveryAt(attempts + 1, deps.now(), deps.backoff, failure.retryAfterMs);
      deps.store.markDeliveryFailed(tracking.id, change.id, failure.code, retryAt);
      deps.logger.warn('status change not posted; will retry', {
        verification_id: tracking.verification_id,
        channel: tracking.channel_id,
        change_id: change.id,
        slack_error: failure.code,
        attempts: attempts + 1,
        retry_in_ms: retryAt - deps.now(),
      });
      return stats;
    }
  }
  if (stats.posted > 0) await refreshParent(deps, thread[0]?.tracking);
  return stats;
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
  } catch (error) {
    const failure = slackFailure(error);
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
