import type { Logger } from '../log.js';
import type { Db } from '../store/open.js';

/**
 * A lease in SQLite that says which process polls Cashfree and posts to
 * Slack. During a rolling deploy two processes share one database: both
 * answer commands, but only the holder ticks. The holder renews the lease on
 * a heartbeat; if it stops renewing (killed, hung), the lease expires and the
 * other process takes it at its next heartbeat.
 */
export interface Lease {
  /** Takes the lease if it is free or expired, or renews it if held; true while this process holds it. */
  renew(): boolean;
  /** True while this process holds an unexpired lease, judged from its own last renewal (no database read). */
  holds(): boolean;
  /** Gives the lease up at once, so the other process need not wait for it to expire. */
  release(): void;
}

export interface LeaseOptions {
  db: Db;
  name: string;
  /** Unique to this process: host, pid and a random part. */
  holder: string;
  ttlMs: number;
  now?: () => number;
}

export function createLease(options: LeaseOptions): Lease {
  const { db, name, holder, ttlMs } = options;
  const now = options.now ?? Date.now;
  /** Safety margin: stop acting as holder a little before the lease could expire for the others (1 s of 6 s). */
  const holdMarginMs = ttlMs / 6;
  const take = db.prepare(
    `INSERT INTO leases (name, holder, acquired_at, expires_at) VALUES (@name, @holder, @now, @expires)
     ON CONFLICT (name) DO UPDATE SET
       acquired_at = CASE WHEN leases.holder = excluded.holder THEN leases.acquired_at ELSE excluded.acquired_at END,
       holder = excluded.holder, expires_at = excluded.expires_at
     WHERE leases.holder = excluded.holder OR leases.expires_at <= @now`,
  );
  const giveUp = db.prepare('UPDATE leases SET expires_at = 0 WHERE name = ? AND holder = ?');
  let renewedAt: number | undefined;

  return {
    renew() {
      const at = now();
      const taken = take.run({ name, holder, now: at, expires: at + ttlMs }).changes > 0;
      renewedAt = taken ? at : undefined;
      return taken;
    },
    holds() {
      return renewedAt !== undefined && now() < renewedAt + ttlMs - holdMarginMs;
    },
    release() {
      renewedAt = undefined;
      giveUp.run(name, holder);
    },
  };
}

export interface PollLease {
  /** Renews now (a tick calls it, so a tick never runs on a lease that lapsed); true while held. */
  heartbeat(): boolean;
  holds(): boolean;
  /** Stops the heartbeat and gives the lease up. */
  stop(): void;
}

/**
 * The poll lease on a heartbeat. Taking it over frees the claims a previous
 * holder left behind (it crashed or was stopped mid-tick); each change of hands
 * is logged once.
 */
export function startPollLease(
  options: LeaseOptions & { renewEveryMs: number; logger: Logger; onTakeover: () => void; onError?: (error: unknown) => void },
): PollLease {
  const lease = createLease(options);
  let polling = false;
  let failing = false;
  const heartbeat = (): boolean => {
    let held = false;
    try {
      held = lease.renew();
      failing = false;
    } catch (error) {
      options.onError?.(error);
      // Once per episode (a database locked for seconds would otherwise log at every heartbeat and tick).
      if (!failing) options.logger.warn('could not renew the poll lease; not polling until it can', { error });
      failing = true;
    }
    if (held && !polling) {
      options.onTakeover();
      options.logger.info('this process now polls Cashfree and posts changes');
    }
    if (!held && polling) options.logger.info('another process holds the poll lease; this one answers commands only');
    polling = held;
    return held;
  };
  heartbeat();
  const timer = setInterval(heartbeat, options.renewEveryMs);
  timer.unref();
  return {
    heartbeat,
    holds: () => lease.holds(),
    stop() {
      clearInterval(timer);
      lease.release();
    },
  };
}
