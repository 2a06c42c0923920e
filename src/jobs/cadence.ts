/**
 * Jobs that scan the board or the recent history read more the larger it grows: at 100,000 tracked
 * verifications one such read takes a tenth of a second or more. Each runs at most every `baseMs`, and a
 * slow read spaces the next one out so that reading takes at most this share of the time.
 */
export const MAX_READ_SHARE = 0.02;

export interface Cadence {
  /** Whether the next read is due at `nowMs`. */
  due(nowMs: number): boolean;
  /** Runs the read now; the next waits at least the base gap, and long enough to keep to MAX_READ_SHARE. */
  read<T>(nowMs: number, work: () => T): T;
  /** Makes the next read due at once. */
  reset(): void;
}

/** `readClock` measures the read (a monotonic clock in ms): performance.now unless a test says. */
export function createCadence(baseMs: number, readClock: () => number = () => performance.now()): Cadence {
  let readAt = Number.NEGATIVE_INFINITY;
  let gapMs = baseMs;
  return {
    due: (nowMs) => nowMs - readAt >= gapMs,
    read(nowMs, work) {
      readAt = nowMs;
      const started = readClock();
      const result = work();
      gapMs = Math.max(baseMs, (readClock() - started) / MAX_READ_SHARE);
      return result;
    },
    reset() {
      readAt = Number.NEGATIVE_INFINITY;
    },
  };
}
