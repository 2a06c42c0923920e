/** Summary statistics for timing samples (milliseconds unless a caller says otherwise). */

export interface Summary {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  min: number;
  max: number;
  mean: number;
}

/** Nearest-rank percentile of an ascending array (p in 0..100). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] ?? Number.NaN;
}

export function summarize(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const sum = sorted.reduce((total, value) => total + value, 0);
  return {
    n: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    min: sorted[0] ?? Number.NaN,
    max: sorted.at(-1) ?? Number.NaN,
    mean: sorted.length === 0 ? Number.NaN : sum / sorted.length,
  };
}

export function median(samples: readonly number[]): number {
  return percentile([...samples].sort((a, b) => a - b), 50);
}

/** Rounds for the table and results.json: 3 significant decimals below 10, 1 above. */
export function round(value: number): number {
  if (!Number.isFinite(value)) return value;
  const digits = Math.abs(value) < 10 ? 3 : 1;
  return Number(value.toFixed(digits));
}

/** Time `work` once, in milliseconds. */
export function timeSync(work: () => void): number {
  const started = performance.now();
  work();
  return performance.now() - started;
}

export async function timeAsync(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

export interface WindowStats {
  /** Most requests in any window [t, t + windowMs). */
  maxInWindow: number;
  /** Time-averaged count over every window that starts in [from, to - windowMs]. */
  meanInWindow: number;
  /** Fewest requests in such a window. */
  minInWindow: number;
  windows: number;
}

/**
 * Counts requests in sliding windows. The maximum is found over windows starting
 * at each request (where a maximum must start); the mean and minimum over windows
 * starting every `stepMs` through the observed span, so a burst pattern cannot hide.
 */
export function slidingWindows(times: readonly number[], windowMs: number, from: number, to: number, stepMs = 5): WindowStats {
  const sorted = [...times].sort((a, b) => a - b);
  const countIn = (start: number) => upperBound(sorted, start + windowMs - 1e-9) - lowerBound(sorted, start);
  let maxInWindow = 0;
  for (const start of sorted) maxInWindow = Math.max(maxInWindow, countIn(start));
  let total = 0;
  let windows = 0;
  let minInWindow = Number.POSITIVE_INFINITY;
  for (let start = from; start + windowMs <= to; start += stepMs) {
    const count = countIn(start);
    total += count;
    windows += 1;
    minInWindow = Math.min(minInWindow, count);
  }
  return { maxInWindow, meanInWindow: windows === 0 ? Number.NaN : total / windows, minInWindow, windows };
}

function lowerBound(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] ?? 0) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** How many of the sorted values are ≤ value. */
export function upperBound(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] ?? 0) <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
