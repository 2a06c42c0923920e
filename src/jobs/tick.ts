import type { Logger } from '../log.js';
import type { Metrics } from '../metrics.js';
import { isDatabaseError } from '../store/open.js';
import type { Store } from '../store/store.js';
import { notifyOwners } from '../tracking/owner.js';
import { completeSettledWaits } from '../tracking/workflow-waits.js';
import { createCadence } from './cadence.js';
import type { SlaPolicy } from '../vkyc/sla.js';
import { postAlerts } from './alerts.js';
import type { PollLease } from './lease.js';
import { runTick, type PollerDeps, type TickStats } from './poller.js';
import { checkSla } from './sla.js';

export interface PollTicker {
  /** One tick now, if this process holds the poll lease; undefined otherwise. */
  tick(signal?: AbortSignal): Promise<TickStats | undefined>;
  /** The last tick's figures, for /healthz. */
  last(): (TickStats & { at: string }) | undefined;
  /** `degraded` from a tick the database refused until one succeeds. */
  database(): 'ok' | 'degraded';
}

/**
 * A poll tick as the process runs it: only while holding the lease, timed for
 * /metrics, followed every `alertEveryMs` by the stuck and expiry notes and the
 * service-level check (src/jobs/sla.ts), at every tick by the owners' DMs
 * (src/tracking/owner.ts), and logged in one line
 * (info when it did something, debug when idle).
 */
export function createPollTicker(options: {
  poller: PollerDeps;
  lease: PollLease;
  store: Pick<Store, 'counts'>;
  logger: Logger;
  metrics: Pick<Metrics, 'tickDuration' | 'databaseError' | 'slaBreaches'>;
  now: () => number;
  stuckAfterMs: number;
  alertEveryMs: number;
  /** KYC_TIMEZONE, where owners' quiet hours are read. */
  timeZone: string;
  /** KYC_SLA: checked with the alerts; no limits, no check. */
  sla: SlaPolicy;
}): PollTicker {
  const { poller, lease, logger, now } = options;
  let alertsCheckedAt = Number.NEGATIVE_INFINITY;
  const slaChecks = createCadence(options.alertEveryMs);
  let lastTick: (TickStats & { at: string }) | undefined;
  let database: 'ok' | 'degraded' = 'ok';
  /**
   * A database that refuses work (another process's lock, a full disk) ends the tick; its claims are given
   * back or go stale, and the next tick tries again. One warning when it starts, one line when it ends.
   */
  const refused = (error: unknown): undefined => {
    if (!isDatabaseError(error)) throw error;
    options.metrics.databaseError('poll', error);
    if (database === 'ok') logger.warn('the database refused a poll tick; polling waits until it accepts writes again', { db_error: error.code });
    else logger.debug('poll tick refused by the database', { db_error: error.code });
    database = 'degraded';
    return undefined;
  };
  return {
    async tick(signal) {
      lease.heartbeat();
      if (!lease.holds()) return undefined;
      const stopTimer = options.metrics.tickDuration.startTimer();
      let stats: TickStats;
      let workflowSteps = 0;
      try {
        stats = await runTick(poller, signal);
        // Workflow steps waiting on a verification that ended in this tick (or by webhook since the last) complete now.
        workflowSteps = await completeSettledWaits(poller);
        stopTimer();
        // Waits are measured in minutes: looking every half minute is plenty, and spares a read of every tracking each second.
        const moments = now() - alertsCheckedAt >= options.alertEveryMs;
        if (moments) {
          alertsCheckedAt = now();
          await postAlerts({ ...poller, stuckAfterMs: options.stuckAfterMs });
          // Before the owners' DMs, so a breach's DM goes in this tick.
          await checkSla({ ...poller, sla: options.sla, cadence: slaChecks, onBreach: (stage, step) => options.metrics.slaBreaches.inc({ stage, step }) });
        }
        // Changes become owners' DMs within a tick; calls and expiring links are looked for with the alerts.
        await notifyOwners({ ...poller, timeZone: options.timeZone }, { moments });
      } catch (error) {
        stopTimer();
        return refused(error);
      }
      if (database === 'degraded') {
        database = 'ok';
        logger.info('the database accepts writes again; polling resumes');
      }
      lastTick = { ...stats, at: new Date(now()).toISOString() };
      // The table counts only when the tick did something (an idle tick every second need not count 100k rows).
      const steps = workflowSteps > 0 ? { workflow_steps_completed: workflowSteps } : {};
      if (stats.polled + stats.posted + stats.failed + stats.postFailed + workflowSteps > 0) logger.info('poll tick', { ...stats, ...steps, ...options.store.counts() });
      else logger.debug('poll tick', { ...stats });
      return stats;
    },
    last: () => lastTick,
    database: () => database,
  };
}
