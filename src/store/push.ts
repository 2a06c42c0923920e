import type { VkycState, WebhookEvent } from '../vkyc/types.js';
import type { Db } from './open.js';
import { stateFromColumns } from './state.js';

export interface WebhookEventRow {
  id: number;
  event_type: string;
  event_time: number | null;
  verification_id: string | null;
  reference_id: number | null;
  /** status … has_recording: the event's state, NULL when it carried none. */
  status: string | null;
  sub_status: string | null;
  user_id: string | null;
  link_expiry: string | null;
  meeting_schedule: string | null;
  has_recording: number | null;
  /** What the event says, without its time (NULL on events stored before schema 6). */
  content_key: string | null;
  attempts: number;
  received_at: number;
}

/** The state an event reported, as it was parsed on arrival; undefined when it carried none. */
export function eventState(row: WebhookEventRow): VkycState | undefined {
  const { verification_id, status, sub_status } = row;
  if (verification_id === null || status === null || sub_status === null) return undefined;
  return stateFromColumns({ ...row, verification_id, status, sub_status });
}

/** Webhook deliveries waiting to be processed. */
export function createPushStore(db: Db) {
  const q = {
    insertEvent: db.prepare(
      `INSERT OR IGNORE INTO webhook_events (delivery_key, content_key, received_at, event_type, event_time, verification_id, reference_id,
         status, sub_status, user_id, link_expiry, meeting_schedule, has_recording)
       VALUES (@delivery_key, @content_key, @received_at, @event_type, @event_time, @verification_id, @reference_id,
         @status, @sub_status, @user_id, @link_expiry, @meeting_schedule, @has_recording)`,
    ),
    firstSent: db.prepare<[string], { at: number | null }>(
      'SELECT min(coalesce(event_time, received_at)) AS at FROM webhook_events WHERE content_key = ?',
    ),
    pending: db.prepare<[number], WebhookEventRow>('SELECT * FROM webhook_events WHERE processed_at IS NULL ORDER BY id LIMIT ?'),
    processed: db.prepare('UPDATE webhook_events SET processed_at = ? WHERE id = ?'),
    failed: db.prepare('UPDATE webhook_events SET attempts = attempts + 1 WHERE id = ?'),
    pushed: db.prepare('UPDATE verifications SET pushed_at = ? WHERE verification_id = ?'),
    urgent: db.prepare(
      'UPDATE verifications SET urgent = 1, next_poll_at = min(next_poll_at, ?) WHERE verification_id = ? AND next_poll_at IS NOT NULL',
    ),
    tracked: db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM trackings WHERE verification_id = ? AND ended_at IS NULL'),
    everTracked: db.prepare<[string, string], { n: number }>('SELECT count(*) AS n FROM trackings WHERE verification_id = ? AND channel_id = ?'),
    purgeEvents: db.prepare('DELETE FROM webhook_events WHERE processed_at IS NOT NULL AND processed_at < ?'),
  };

  return {
    /** Stores a delivery; false when the same event was stored before (a redelivery). */
    recordEvent: (keys: { delivery: string; content: string }, event: WebhookEvent, receivedAt: number): boolean =>
      q.insertEvent.run({
        delivery_key: keys.delivery,
        content_key: keys.content,
        received_at: receivedAt,
        event_type: event.eventType,
        event_time: event.eventTime ?? null,
        verification_id: event.verificationId ?? null,
        reference_id: event.referenceId ?? null,
        status: event.state?.status ?? null,
        sub_status: event.state?.subStatus ?? null,
        user_id: event.state?.userId ?? null,
        link_expiry: event.state?.linkExpiry ?? null,
        meeting_schedule: event.state?.meetingSchedule ?? null,
        has_recording: event.state === undefined ? null : event.state.hasRecording ? 1 : 0,
      }).changes > 0,
    pendingEvents: (limit = 100) => q.pending.all(limit),
    /** When Cashfree first sent what this event says (its earliest event_time among redeliveries still kept). */
    firstSentAt: (event: WebhookEventRow): number | undefined =>
      (event.content_key === null ? undefined : q.firstSent.get(event.content_key)?.at) ?? event.event_time ?? undefined,
    eventProcessed: (id: number, nowMs: number) => void q.processed.run(nowMs, id),
    eventFailed: (id: number) => void q.failed.run(id),
    markPushed: (verificationId: string, nowMs: number) => void q.pushed.run(nowMs, verificationId),
    /** The poller checks it before anything else (used when a webhook could not be confirmed at once). */
    pollSoon: (verificationId: string, nowMs: number) => void q.urgent.run(nowMs, verificationId),
    isTracked: (verificationId: string) => (q.tracked.get(verificationId)?.n ?? 0) > 0,
    /** Whether this channel ever tracked it (a channel that stopped tracking is not opened again by push). */
    wasTrackedIn: (verificationId: string, channelId: string) => (q.everTracked.get(verificationId, channelId)?.n ?? 0) > 0,
    purgeEventsBefore: (cutoffMs: number) => q.purgeEvents.run(cutoffMs).changes,
  };
}

export type PushStore = ReturnType<typeof createPushStore>;
