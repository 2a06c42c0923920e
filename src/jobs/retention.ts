import type { Logger } from '../log.js';
import type { Store } from '../store/store.js';
import { BULK_DRAFT_TTL_MS } from '../vkyc/bulk.js';

const DAY_MS = 24 * 60 * 60_000;

/** Processed webhook events are kept this long: long enough to recognise any redelivery of Cashfree's. */
const WEBHOOK_KEEP_DAYS = 7;

/**
 * Deletes trackings that ended more than `retentionDays` ago, their history, old audit entries, old webhook
 * events, old report marks, the phone hashes of starts older than that, and bulk drafts nobody confirmed in time.
 */
export function purgeOldData(store: Store, logger: Logger, retentionDays: number, nowMs: number) {
  const webhookEvents = store.push.purgeEventsBefore(nowMs - Math.min(retentionDays, WEBHOOK_KEEP_DAYS) * DAY_MS);
  const cutoff = nowMs - retentionDays * DAY_MS;
  const purged = {
    ...store.purgeEndedBefore(cutoff),
    webhook_events: webhookEvents,
    turnaround_reports: store.purgeReportsBefore(cutoff),
    phone_starts: store.phones.purgeBefore(cutoff),
    bulk_drafts: store.bulk.purgeDrafts(nowMs - BULK_DRAFT_TTL_MS),
  };
  logger.info('retention purge', { retention_days: retentionDays, ...purged });
  return purged;
}
