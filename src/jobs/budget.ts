/**
 * A sliding-window request budget: never more than `max` requests in any
 * `windowMs`. Cashfree's limits are per merchant account per minute, so every
 * status request (poller and commands alike) takes from one budget.
 */
export interface RequestBudget {
  /** Takes a slot now and returns 0, or returns how many ms until one frees up. */
  tryTake(nowMs?: number): number;
  /** Waits for a slot; false when none frees up before `deadlineMs` or the signal aborts. */
  take(deadlineMs: number, signal?: AbortSignal): Promise<boolean>;
  /** Cashfree said 429: take nothing until then. */
  pauseUntil(ms: number): void;
  /** How many ms until a slot is free, without taking one. */
  msUntilFree(nowMs?: number): number;
  /** Slots used in the current window. */
  used(nowMs?: number): number;
}

export interface BudgetOptions {
  max: number;
  windowMs?: number;
  /** Extra spacing so that network jitter cannot squeeze max+1 requests into a window on the server's clock. */
  marginMs?: number;
  now?: () => number;
}

export function createRequestBudget(options: BudgetOptions): RequestBudget {
  const now = options.now ?? Date.now;
  const span = (options.windowMs ?? 60_000) + (options.marginMs ?? 100);
  const taken: number[] = [];
  let head = 0;
  let pausedUntil = 0;

  function expire(at: number): void {
    while (head < taken.length && (taken[head] ?? 0) <= at - span) head += 1;
    if (head > 1024 && head * 2 > taken.length) {
      taken.splice(0, head);
      head = 0;
    }
  }

  function msUntilFree(at = now()): number {
    if (pausedUntil > at) return pausedUntil - at;
    expire(at);
    if (taken.length - head < options.max) return 0;
    return Math.max(1, (taken[head] ?? at) + span - at);
  }

  function tryTake(at = now()): number {
    const wait = msUntilFree(at);
    if (wait === 0) taken.push(at);
    return wait;
  }

  return {
    tryTake,
    msUntilFree,
    async take(deadlineMs, signal) {
      for (;;) {
        if (signal?.aborted) return false;
        const at = now();
        const wait = tryTake(at);
        if (wait === 0) return true;
        if (at + wait > deadlineMs) return false;
        await sleep(wait, signal);
      }
    },
    pauseUntil(ms) {
      pausedUntil = Math.max(pausedUntil, ms);
    },
    used(at = now()) {
      expire(at);
      return taken.length - head;
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
