import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import type { Logger } from '../log.js';
import type { SlackPostKind, SlackPostOutcome } from '../metrics.js';
import { changeReply, parentCard, type CardRestart } from '../slack/blocks.js';
import { slackFailure } from '../slack/failures.js';
import { withOwnerMention } from '../slack/owner-dm.js';
import { verificationFromRow, type PendingDelivery, type Store, type TrackingRow } from '../store/store.js';
import { DEFAULT_CHANNEL_SETTINGS, type ChannelSettings } from '../vkyc/channel-settings.js';
import { nextDeliveryAt, type Backoff } from '../vkyc/lifecycle.js';
import { restartReason } from '../vkyc/restart.js';
import { threadOf, type VkycState } from '../vkyc/types.js';
import { postsInThread } from '../vkyc/milestones.js';
import { finalStateMention } from './owner.js';
import { INTERACTIVE_SLACK_WAIT_MS, type SlackPacer } from './pacing.js';
import { runPool } from './pool.js';

export interface DeliveryDeps {
  store: Store;
  slack: WebClient;
  logger: Logger;
  now: () => number;
  backoff: Backoff;
  /** Slack's posting limits, shared by everything in this process that posts. */
  slackPacer: SlackPacer;
  /** Told of every post and parent update, for the metrics. */
  onSlackPost?: (kind: SlackPostKind, outcome: SlackPostOutcome) => void;
}

type ParentDeps = Pick<DeliveryDeps, 'store' | 'slack' | 'logger' | 'now' | 'slackPacer' | 'onSlackPost'>;

export interface DeliveryStats {
  posted: number;
  failed: number;
}

/** Channels posted to at once; within a channel, one post at a time. */
const CHANNEL_CONCURRENCY = 4;

/**
 * Posts pending changes in their threads. Each channel is one queue, in the order the changes were
 * observed, so each thread's replies go oldest first. A change is marked posted only after Slack
 * confirms; a failure leaves it (and everything after it in that thread) pending for a later tick,
 * so nothing is lost or reordered. A channel without a slot (past Slack's per-channel rate, or in
 * a Retry-After pause) is left as it is for a later tick: nothing is sent, nothing counts as failed.
 * Cards are brought up to date after the replies, as far as chat.update's own allowance goes; the
 * rest stay stale for refreshStaleParents.
 */
export async function deliverPending(deps: DeliveryDeps, pending: PendingDelivery[]): Promise<DeliveryStats> {
  const stats: DeliveryStats = { posted: 0, failed: 0 };
  const queues = [...channelQueues(pending).values()];
  const replied = new Map<number, TrackingRow>();
  await runPool(CHANNEL_CONCURRENCY, () => queues.shift(), async (queue) => {
    const result = await deliverChannel(deps, queue);
    stats.posted += result.posted;
    stats.failed += result.failed;
    for (const [id, tracking] of result.replied) replied.set(id, tracking);
  });
  for (const tracking of replied.values()) {
    if ((await refreshParent(deps, tracking, { maxWaitMs: 0 })) === 'held') break;
  }
  return stats;
}

/** Pending deliveries by channel, each channel's in the order their changes were observed. */
function channelQueues(pending: PendingDelivery[]): Map<string, PendingDelivery[]> {
  const byChannel = new Map<string, PendingDelivery[]>();
  for (const delivery of [...pending].sort((a, b) => a.change.id - b.change.id)) {
    const queue = byChannel.get(delivery.tracking.channel_id) ?? [];
    queue.push(delivery);
    byChannel.set(delivery.tracking.channel_id, queue);
  }
  return byChannel;
}

/**
 * One channel's queue, one post at a time, until it is done or its lane has no slot. Returns the
 * threads it brought up to date (a reply posted, none failed or left behind), whose cards are next.
 */
async function deliverChannel(deps: DeliveryDeps, queue: PendingDelivery[]): Promise<DeliveryStats & { replied: Map<number, TrackingRow> }> {
  const result = { posted: 0, failed: 0, replied: new Map<number, TrackingRow>() };
  /** Threads with a change that did not go now: nothing after it in that thread goes either. */
  const stopped = new Set<number>();
  const behind = new Set<number>();
  // /kyc settings: one channel's queue, one channel's settings.
  const channelId = queue[0]?.tracking.channel_id;
  const settings = (channelId === undefined ? undefined : deps.store.channels.settings(channelId)) ?? DEFAULT_CHANNEL_SETTINGS;
  for (const [i, delivery] of queue.entries()) {
    const { tracking } = delivery;
    if (stopped.has(tracking.id)) continue;
    const outcome = await deliverOne(deps, delivery, settings);
    if (outcome === 'held') {
      for (const rest of queue.slice(i)) behind.add(rest.tracking.id);
      deps.logger.debug('replies wait for the channel\'s Slack rate limit', { channel: tracking.channel_id });
      break;
    }
    if (outcome === 'posted' || outcome === 'skipped') {
      if (outcome === 'posted') result.posted += 1;
      result.replied.set(tracking.id, tracking);
    } else {
      stopped.add(tracking.id);
      if (outcome === 'failed') {
        result.failed += 1;
        behind.add(tracking.id);
      }
    }
  }
  for (const id of behind) result.replied.delete(id);
  return result;
}

/**
 * One change in its thread. Only the Slack call sits inside the `try`: once Slack has accepted a
 * reply, a local failure recording it (a busy or full database) propagates and fails the tick, and
 * the sending mark set before the post stays, so the next attempt finds the reply in the thread
 * instead of posting it twice.
 */
async function deliverOne(
  deps: DeliveryDeps,
  delivery: PendingDelivery,
  settings: ChannelSettings,
): Promise<'posted' | 'skipped' | 'failed' | 'not_due' | 'held'> {
  const { tracking, change, next_attempt_at } = delivery;
  const thread = threadOf(tracking);
  if (next_attempt_at > deps.now() || tracking.parent_ts === null || thread === null) return 'not_due';
  if (!postsInThread(change, settings.condensed)) {
    // Handled, not lost: it is never posted later, and the card (refreshed after the queue) shows it.
    deps.store.markSkipped(tracking.id, change.id, deps.now());
    if (change.final_reason !== null) deps.store.endTracking(tracking.id, tracking.verification_id, deps.now(), 'bot', change.final_reason);
    return 'skipped';
  }
  const lane = { method: 'chat.postMessage', channel: tracking.channel_id } as const;
  if (deps.slackPacer.tryTake(lane) > 0) return 'held';
  // An earlier attempt ended in doubt (the process died mid-post, or Slack timed out): look in the thread first.
  let replyTs = delivery.sending_since === null ? undefined : await findReply(deps, tracking, thread, change.id);
  if (replyTs === undefined) {
    deps.store.markSending(tracking.id, change.id, deps.now());
    try {
      replyTs = await postReply(deps, delivery, thread, !settings.threadOnly);
    } catch (error) {
      deps.slackPacer.failed(lane, error);
      recordPostFailure(deps, delivery, error);
      return 'failed';
    }
  }
  deps.store.markPosted(tracking.id, change.id, replyTs, deps.now());
  deps.onSlackPost?.('reply', 'ok');
  if (change.final_reason !== null) {
    deps.store.endTracking(tracking.id, tracking.verification_id, deps.now(), 'bot', change.final_reason);
  }
  return 'posted';
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
async function postReply(deps: DeliveryDeps, { tracking, change }: PendingDelivery, parentTs: string, broadcastFinal: boolean): Promise<string> {
  // The final state mentions the verification's owner (src/tracking/owner.ts).
  const mention = finalStateMention(deps.store, change);
  const reply = await deps.slack.chat.postMessage({
    channel: tracking.channel_id,
    thread_ts: parentTs,
    ...(mention === undefined ? changeReply(change) : withOwnerMention(changeReply(change), mention)),
    reply_broadcast: broadcastFinal && change.final_reason !== null,
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

/**
 * Re-renders a parent message with the latest known status, once chat.update's lane has a slot
 * (waiting up to `maxWaitMs`). A failure, or no slot in time ('held'), leaves it as it is: a card
 * marked stale is tried again at a later tick.
 */
export async function refreshParent(
  deps: ParentDeps,
  tracking: TrackingRow | undefined,
  options: { endedNote?: string; maxWaitMs?: number } = {},
): Promise<'done' | 'held'> {
  if (tracking === undefined || tracking.parent_ts === null) return 'done';
  const row = deps.store.verification(tracking.verification_id);
  if (row === undefined) return 'done';
  const ended = options.endedNote ?? (row.next_poll_at === null ? 'tracking ended' : undefined);
  const state = verificationFromRow(row);
  const lane = { method: 'chat.update' } as const;
  if ((await deps.slackPacer.take(lane, options.maxWaitMs ?? INTERACTIVE_SLACK_WAIT_MS)) > 0) return 'held';
  try {
    await deps.slack.chat.update({
      channel: tracking.channel_id,
      ts: tracking.parent_ts,
      ...parentCard(state, tracking.tracked_by, row.observed_at, ended, cardRestart(deps, state)),
    });
    deps.store.parentFresh(tracking.id);
    deps.onSlackPost?.('parent_update', 'ok');
  } catch (error) {
    deps.slackPacer.failed(lane, error);
    const failure = slackFailure(error);
    deps.onSlackPost?.('parent_update', failure.targetGone ? 'gone' : 'failed');
    if (failure.targetGone) {
      endGoneTracking(deps, tracking, failure.code);
      return 'done';
    }
    deps.logger.warn('parent message not updated; will retry', {
      verification_id: tracking.verification_id,
      channel: tracking.channel_id,
      slack_error: failure.code,
    });
  }
  return 'done';
}

/** Whether an ended card offers Start again, or says where the verification was started again. */
function cardRestart(deps: ParentDeps, state: VkycState): CardRestart {
  const restart = deps.store.restartOf(state.verificationId);
  if (restart?.outcome === 'started') {
    return { offer: false, startedAs: { verificationId: restart.to_verification_id, by: restart.started_by, permalink: restart.to_permalink } };
  }
  return { offer: restartReason(state, deps.now()) !== undefined };
}

/** Parents whose update failed or waited earlier and have no replies waiting, as far as chat.update's allowance goes. */
export async function refreshStaleParents(deps: DeliveryDeps): Promise<void> {
  const stale = deps.store.staleParents(deps.now());
  let held = false;
  await runPool(CHANNEL_CONCURRENCY, () => (held ? undefined : stale.shift()), async (tracking) => {
    if ((await refreshParent(deps, tracking, { maxWaitMs: 0 })) === 'held') held = true;
  });
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
