import type { CashfreeClient } from '../cashfree/client.js';
import { CashfreeError, type VkycState } from '../cashfree/schemas.js';
import type { Claim, VerificationRow } from '../store/store.js';
import { breakerAfter, CLOSED_BREAKER, type Breaker } from '../vkyc/breaker.js';
import { DEFAULT_POLL_POLICY, failureKind, nextPollAfterFailure } from '../vkyc/schedule.js';
import type { RequestBudget } from '../tracking/budget.js';
import { deliverPending, refreshStaleParents, type DeliveryDeps } from '../tracking/deliver.js';
import { observe } from '../tracking/observe.js';
import { createPlanner, type Planner } from './planner.js';
import { runPool } from '../tracking/pool.js';

export interface PollerDeps extends DeliveryDeps {
  cashfree: CashfreeClient;
  budget: RequestBudget;
  concurrency: number;
  terminalStatuses: readonly string[];
  /** A tick stops taking new work after this long; the rest stays due for the next tick. */
  tickMaxMs: number;
  /** Names this poller's claims (the lease holder); claims older than `claimStaleMs` are taken back. */
  claimedBy?: string;
  claimStaleMs?: number;
  /** Keeps the store's poll plan current; one made from the budget and the default policy when omitted. */
  planner?: Planner;
}

export interface TickStats {
  polled: number;
  changed: number;
  failed: number;
  posted: number;
  postFailed: number;
  /** Due verifications left for a later tick (budget, tick time, or the breaker opening). */
  deferred: boolean;
  ms: number;
  /** The circuit breaker after this tick: open while Cashfree fails for everyone. */
  breaker: Breaker['state'];
  /** Distinct verifications that failed for everyone's reasons since Cashfree last answered. */
  breakerFailing: number;
  /** Times the breaker has opened since this poller started. */
  breakerOpened: number;
  /** Status checks sent as probes this tick (0 or 1): the only ones while the breaker is open. */
  probes: number;
}

/** When Cashfree says 429 without saying how long to wait. */
const DEFAULT_RATE_LIMIT_PAUSE_MS = 10_000;

/** One breaker per poller, kept across ticks (a poller is one PollerDeps object, as src/bot.ts builds it). */
const breakers = new WeakMap<PollerDeps, { current: Breaker }>();
/** One planner per poller: the poll plan it keeps current in the store. */
const planners = new WeakMap<PollerDeps, Planner>();

function plannerOf(deps: PollerDeps): Planner {
  let planner = deps.planner ?? planners.get(deps);
  if (planner === undefined) {
    planner = createPlanner({ store: deps.store, requestsPerMinute: deps.budget.limit });
    planners.set(deps, planner);
  }
  return planner;
}

function breakerOf(deps: PollerDeps): { current: Breaker } {
  let holder = breakers.get(deps);
  if (holder === undefined) {
    holder = { current: CLOSED_BREAKER };
    breakers.set(deps, holder);
  }
  return holder;
}

/**
 * One poll tick: post what earlier ticks could not, then fetch the verifications
 * due when the tick started (urgent first, then least recently scheduled) at the
 * pace the request budget allows, until `tickMaxMs`; record each change and post
 * it in its threads. Each verification is polled at most once per tick. While the
 * circuit breaker is open, the tick sends a single probe instead.
 */
export async function runTick(deps: PollerDeps, signal?: AbortSignal): Promise<TickStats> {
  const started = deps.now();
  const deadline = started + deps.tickMaxMs;
  const breaker = breakerOf(deps);
  const stats: TickStats = {
    polled: 0,
    changed: 0,
    failed: 0,
    posted: 0,
    postFailed: 0,
    deferred: false,
    ms: 0,
    breaker: breaker.current.state,
    breakerFailing: 0,
    breakerOpened: 0,
    probes: 0,
  };
  const addDelivery = ({ posted, failed }: { posted: number; failed: number }) => {
    stats.posted += posted;
    stats.postFailed += failed;
  };
  const poll = async (row: VerificationRow) => {
    const outcome = await pollOne(deps, row, breaker).catch((error: unknown) => {
      // A local failure (the database): give the claim back if the database lets us; otherwise it goes stale.
      releaseQuietly(deps, [row]);
      throw error;
    });
    stats.polled += 1;
    if (outcome === 'changed') stats.changed += 1;
    if (outcome === 'failed') stats.failed += 1;
    if (outcome === 'changed') addDelivery(await deliverPending(deps, deps.store.pendingDeliveriesFor(row.verification_id)));
  };

  addDelivery(await deliverPending(deps, deps.store.pendingDeliveries()));
  await refreshStaleParents(deps);
  plannerOf(deps).refresh(started);

  const tick = { started, deadline, signal };
  if (breaker.current.state === 'open') {
    const probe = await probeOnce(deps, tick, poll);
    stats.probes = probe === 'sent' ? 1 : 0;
    // Everything else that is due waits for the breaker to close.
    stats.deferred = probe !== 'nothing_due';
  } else {
    await pollDue(deps, tick, breaker, poll, (deferred) => (stats.deferred ||= deferred));
  }

  stats.breaker = breaker.current.state;
  stats.breakerFailing = breaker.current.failing.length;
  stats.breakerOpened = breaker.current.opened;
  stats.ms = deps.now() - started;
  return stats;
}

interface TickWindow {
  started: number;
  deadline: number;
  signal: AbortSignal | undefined;
}

/** While the breaker is open: one status check, on the first due verification, to learn whether Cashfree is back. */
async function probeOnce(
  deps: PollerDeps,
  tick: TickWindow,
  poll: (row: VerificationRow) => Promise<void>,
): Promise<'sent' | 'no_budget' | 'nothing_due'> {
  const [row] = deps.store.claimDue(tick.started, 1, claimOf(deps, tick));
  if (row === undefined) return 'nothing_due';
  if (!(await deps.budget.take(tick.deadline, tick.signal, 'background'))) {
    deps.store.releaseClaim(row.verification_id);
    return 'no_budget';
  }
  await poll(row);
  return 'sent';
}

/**
 * Polls due verifications with `concurrency` in flight, claiming a few at a time
 * so that a verification made urgent during the tick still comes next. Stops
 * taking work at the deadline, when the budget has nothing before it, or when
 * the breaker opens; claimed but unpolled verifications stay due.
 */
async function pollDue(
  deps: PollerDeps,
  tick: TickWindow,
  breaker: { current: Breaker },
  poll: (row: VerificationRow) => Promise<void>,
  stopped: (deferred: boolean) => void,
): Promise<void> {
  const batch = Math.max(1, deps.concurrency);
  /** Polled in the tick's first millisecond: due again at `started`, so a claim would find them again. */
  const polledAtStart = new Set<string>();
  let claimed: VerificationRow[] = [];
  let exhausted = false;
  const finish = (unpolled: VerificationRow[], deferred: boolean): undefined => {
    exhausted = true;
    stopped(deferred);
    for (const row of [...unpolled, ...claimed.splice(0)]) deps.store.releaseClaim(row.verification_id);
    return undefined;
  };
  /**
   * Due verifications not yet polled in this tick. One polled earlier in the
   * tick is due again from its poll time, which is after `started` unless it was
   * polled in the tick's first millisecond: once only such ones are left, the tick is done.
   */
  const claimFresh = (): VerificationRow[] => {
    const rows = deps.store.claimDue(tick.started, batch, claimOf(deps, tick));
    for (const row of rows) if (polledAtStart.has(row.verification_id)) deps.store.releaseClaim(row.verification_id);
    const fresh = rows.filter((row) => !polledAtStart.has(row.verification_id));
    // Nothing due: a request left unspent is lost, so it goes to what is due next, one at a time (an
    // agent's request made meanwhile is claimed next). The model's chances are estimates; a spare
    // request spent on the nearest of them costs nothing.
    if (fresh.length === 0) return deps.store.claimAhead(tick.started, 1, claimOf(deps, tick), tick.started - DEFAULT_POLL_POLICY.pushFreshMs);
    return fresh;
  };
  const next = async (): Promise<VerificationRow | undefined> => {
    if (exhausted) return undefined;
    if (tick.signal?.aborted || deps.now() >= tick.deadline || isOpen(breaker)) return finish([], true);
    if (claimed.length === 0) claimed = claimFresh();
    const row = claimed.shift();
    if (row === undefined) return finish([], false);
    if (!(await deps.budget.take(tick.deadline, tick.signal, 'background'))) return finish([row], true);
    // Another worker's failure may have opened the breaker while this one waited for the budget.
    if (isOpen(breaker)) return finish([row], true);
    if (deps.now() <= tick.started) polledAtStart.add(row.verification_id);
    return row;
  };
  try {
    await runPool(deps.concurrency, next, poll);
  } catch (error) {
    exhausted = true;
    releaseQuietly(deps, claimed.splice(0));
    throw error;
  }
}

function claimOf(deps: PollerDeps, tick: TickWindow): Claim {
  return { by: deps.claimedBy ?? 'poller', atMs: tick.started, ...(deps.claimStaleMs === undefined ? {} : { staleAfterMs: deps.claimStaleMs }) };
}

/** Gives claims back after a local failure; when the database refuses that too, the claims go stale and are taken back later. */
function releaseQuietly(deps: PollerDeps, rows: readonly VerificationRow[]): void {
  try {
    for (const row of rows) deps.store.releaseClaim(row.verification_id);
  } catch {
    // Nothing more to do here: the tick's own error is what gets reported.
  }
}

/** A function, not an inline check: the state changes while a worker awaits, which narrowing cannot see. */
function isOpen(breaker: { current: Breaker }): boolean {
  return breaker.current.state === 'open';
}

/**
 * One status check. Only the request to Cashfree sits inside the `try`: a
 * failure there is about Cashfree (or this verification) and feeds the breaker
 * and the backoff; a local failure recording the answer (a busy or full
 * database) is not Cashfree's, so it propagates and fails the tick loudly.
 */
async function pollOne(deps: PollerDeps, row: VerificationRow, breaker: { current: Breaker }): Promise<'changed' | 'unchanged' | 'failed'> {
  const wasOpen = isOpen(breaker);
  let state: VkycState;
  try {
    state = await deps.cashfree.getVkycStatus({ verificationId: row.verification_id }, { retry: false });
  } catch (error) {
    const e =
      error instanceof CashfreeError ? error : new CashfreeError(0, 'internal_error', 'unexpected', (error as Error).message);
    recordFailure(deps, row, breaker, e, wasOpen);
    return 'failed';
  }
  const prior = breaker.current;
  breaker.current = breakerAfter(prior, { kind: 'success' });
  if (prior.state === 'open') deps.logger.info('Cashfree answers again; polling resumes', { verification_id: row.verification_id });
  const { change } = observe(deps, { ...state, verificationId: row.verification_id });
  return change === undefined ? 'unchanged' : 'changed';
}

function recordFailure(deps: PollerDeps, row: VerificationRow, breaker: { current: Breaker }, e: CashfreeError, wasOpen: boolean): void {
  const now = deps.now();
  const kind = failureKind(e);
  if (kind === 'rate_limited') deps.budget.pauseUntil(now + (e.retryAfterMs ?? DEFAULT_RATE_LIMIT_PAUSE_MS));
  const prior = breaker.current;
  breaker.current = breakerAfter(
    prior,
    kind === 'systemic' ? { kind: 'systemic_failure', verificationId: row.verification_id } : { kind: 'neutral' },
  );
  const attempts = row.attempts + (kind === 'verification' ? 1 : 0);
  const retryAt = nextPollAfterFailure(kind, attempts, now, deps.backoff);
  deps.store.pollFailed(row.verification_id, { error: `${e.code}: ${e.message}`, nextPollAt: retryAt, countsAsAttempt: kind === 'verification' });
  // While the breaker is open, a failed probe is expected: one line at debug, not a warning a tick.
  const log = wasOpen ? deps.logger.debug : deps.logger.warn;
  log.call(deps.logger, 'status check failed; will retry', {
    verification_id: row.verification_id,
    cashfree_status: e.status,
    cashfree_code: e.code,
    cashfree_message: e.message,
    failure: kind,
    attempts,
    retry_in_ms: retryAt - now,
  });
  if (breaker.current.opened > prior.opened) {
    deps.logger.warn('Cashfree is failing for several verifications; polling paused, one probe per tick', {
      verifications: breaker.current.failing.length,
    });
  }
}
