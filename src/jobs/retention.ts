import type { Logger } from '../log.js';
import type { Store } from '../store/store.js';

const DAY_MS = 24 * 60 * 60_000;

/** Deletes trackings that ended more than `retentionDays` ago, their history, and old audit entries. */
export function purgeOldData(store: Store, logger: Logger, retentionDays: number, nowMs: number) {
  const purged = store.purgeEndedBefore(nowMs - retentionDays * DAY_MS);
  logger.info('retention purge', { retention_days: retentionDays, ...purged });
  return purged;
}
