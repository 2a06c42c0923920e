import { openDatabase, type Db } from '../store/open.js';

/**
 * Cashfree's limits are per merchant account per minute, so every status
 * request (poller and commands, in every process on the database) takes from
 * one budget, kept in SQLite so that it is shared and survives a restart.
 *
 * Two rules, checked together in one IMMEDIATE transaction:
 * - a token bucket refilling at `max` per window with a small burst, so the
 *   minute's allowance is spread evenly instead of spent in its first seconds;
 * - a hard cap, never more than `max` requests in any window (plus margin),
 *   counted from a log of the requests themselves.
 */
export interface RequestBudget {
  /** The most requests allowed in any window (CASHFREE_MAX_RPM). */
  readonly limit: number;
  /** Takes a request now and returns 0, or returns how many ms until one is free. */
  tryTake(nowMs?: number, priority?: Priority): number;
  /** Waits for a request; false when none is free before `deadlineMs` or the signal aborts. */
  take(deadlineMs: number, signal?: AbortSignal, priority?: Priority): Promise<boolean>;
  /** Cashfree said 429: nobody on this database asks before then. */
  pauseUntil(ms: number): void;
  /** How many ms until a request is free, without taking one. */
  msUntilFree(nowMs?: number, priority?: Priority): number;
  /** Requests taken in the current window. */
  used(nowMs?: number): number;
}

/**
 * An agent waiting on a command may use the last token; background polls leave
 * one token for them, so an agent rarely waits. (The window is not reserved:
 * paced at `max` per window, background polls leave a slot free at every token.)
 */
export type Priority = 'interactive' | 'background';

export interface BudgetOptions {
  max: number;
  /** Tokens the bucket holds at most: requests that may go back to back after a quiet spell. */
  burst?: number;
  windowMs?: number;
  /** Extra spacing so that network jitter cannot squeeze max+1 requests into a window on the server's clock. */
  marginMs?: number;
  now?: () => number;
  /** The store's database, shared by every process using it; a private in-memory one when omitted. */
  db?: Db;
}

/** A burst of about 3 s worth of requests, between 1 and 5. */
export function defaultBurst(max: number): number {
  return Math.min(5, Math.max(1, Math.round(max / 20)));
}

/** Float slack: refill arithmetic must not turn an exact 1.0 token into a wait of 1 ms more. */
const EPSILON = 1e-9;

interface BucketRow {
  tokens: number;
  updated_at: number;
  paused_until: number;
}

export function createRequestBudget(options: BudgetOptions): RequestBudget {
  const now = options.now ?? Date.now;
  const db = options.db ?? openDatabase(':memory:');
  const max = options.max;
  const burst = Math.max(1, options.burst ?? defaultBurst(max));
  const span = (options.windowMs ?? 60_000) + (options.marginMs ?? 100);
  // Refilling at max per span (not per window) keeps a saturated bucket just under the hard cap.
  const perMs = max / span;
  const reserve = burst >= 2 ? 1 : 0;

  const q = {
    init: db.prepare('INSERT OR IGNORE INTO budget_bucket (id, tokens, updated_at, paused_until) VALUES (1, ?, ?, 0)'),
    bucket: db.prepare<[], BucketRow>('SELECT tokens, updated_at, paused_until FROM budget_bucket WHERE id = 1'),
    spend: db.prepare('UPDATE budget_bucket SET tokens = ?, updated_at = ? WHERE id = 1'),
    pause: db.prepare('UPDATE budget_bucket SET paused_until = max(paused_until, ?) WHERE id = 1'),
    purge: db.prepare('DELETE FROM budget_log WHERE at <= ?'),
    // Rowids are unique integers, so their spread bounds the row count without a scan. Two subqueries:
    // SQLite answers a lone min() or max() from the b-tree, but scans the table for both in one SELECT.
    rowsAtMost: db.prepare<[], { n: number | null }>(
      'SELECT (SELECT max(rowid) FROM budget_log) - (SELECT min(rowid) FROM budget_log) + 1 AS n',
    ),
    countSince: db.prepare<[number], { n: number }>('SELECT count(*) AS n FROM budget_log WHERE at > ?'),
    oldestSince: db.prepare<[number, number], { at: number }>('SELECT at FROM budget_log WHERE at > ? ORDER BY at LIMIT 1 OFFSET ?'),
    log: db.prepare('INSERT INTO budget_log (at) VALUES (?)'),
  };

  /** The state at `at`: tokens after refill, and how long until `priority` may take one (0: now). */
  function assess(at: number, priority: Priority): { waitMs: number; tokens: number; updatedAt: number } {
    q.init.run(burst, at);
    const row = q.bucket.get() ?? { tokens: burst, updated_at: at, paused_until: 0 };
    // A clock that went back (or another process slightly behind) refills nothing.
    const updatedAt = Math.max(row.updated_at, at);
    const tokens = Math.min(burst, row.tokens + Math.max(0, at - row.updated_at) * perMs);
    if (row.paused_until > at) return { waitMs: row.paused_until - at, tokens, updatedAt };
    const short = 1 + (priority === 'background' ? reserve : 0) - tokens;
    const bucketWait = short <= EPSILON ? 0 : Math.max(1, Math.ceil(short / perMs - EPSILON));
    return { waitMs: Math.max(bucketWait, capWait(at)), tokens, updatedAt };
  }

  /** How long until fewer than `max` requests remain in the window ending at `at`. */
  function capWait(at: number): number {
    const cutoff = at - span;
    // Kept a span longer than this process needs: another process may have read its clock before this one
    // but take the write lock after it, and its window reaches back further.
    q.purge.run(cutoff - span);
    if ((q.rowsAtMost.get()?.n ?? 0) < max) return 0;
    const inWindow = q.countSince.get(cutoff)?.n ?? 0;
    if (inWindow < max) return 0;
    const mustExpire = q.oldestSince.get(cutoff, inWindow - max)?.at ?? at;
    return Math.max(1, mustExpire + span - at);
  }

  // The clock is read once the transaction holds the write lock: a request logged at the time its process started
  // waiting for another's lock (up to the busy timeout) would look older than it is, and let one more through.
  const takeAt = db.transaction((given: number | undefined, priority: Priority): number => {
    const at = given ?? now();
    const { waitMs, tokens, updatedAt } = assess(at, priority);
    if (waitMs > 0) return waitMs;
    q.spend.run(tokens - 1, updatedAt);
    q.log.run(at);
    return 0;
  });
  const waitAt = db.transaction((at: number, priority: Priority): number => assess(at, priority).waitMs);
  const pauseAt = db.transaction((at: number, until: number) => {
    q.init.run(burst, at);
    q.pause.run(until);
  });

  const tryTake = (at?: number, priority: Priority = 'interactive') => takeAt.immediate(at, priority);

  return {
    limit: max,
    tryTake,
    msUntilFree: (at = now(), priority: Priority = 'interactive') => waitAt.immediate(at, priority),
    async take(deadlineMs, signal, priority = 'interactive') {
      for (;;) {
        if (signal?.aborted) return false;
        const wait = tryTake(undefined, priority);
        if (wait === 0) return true;
        if (now() + wait > deadlineMs) return false;
        await sleep(wait, signal);
      }
    },
    pauseUntil(ms) {
      pauseAt.immediate(now(), ms);
    },
    used(at = now()) {
      return q.countSince.get(at - span)?.n ?? 0;
    },
  };
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
