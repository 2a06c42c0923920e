/**
 * Pacing calls to a rate-limited API, decided without I/O: a token bucket per lane (Slack: one
 * channel's posts, or one method across the workspace) and a pause that a 429's Retry-After sets.
 * src/tracking/pacing.ts keeps one Pace per lane and asks these functions when the next call may go.
 */
export interface PaceRule {
  /** The steady pace: one call per this many ms. */
  intervalMs: number;
  /** Calls that may go back to back after a quiet spell. */
  burst: number;
}

export interface Pace {
  /** Calls that may go now, before refill since `at`. */
  tokens: number;
  /** When `tokens` was counted; refill starts from here (the end of a pause lies in the future). */
  at: number;
}

/** A lane nobody has used: a full burst. */
export function freshPace(rule: PaceRule, nowMs: number): Pace {
  return { tokens: rule.burst, at: nowMs };
}

function refilled(pace: Pace, rule: PaceRule, nowMs: number): number {
  return Math.min(rule.burst, pace.tokens + Math.max(0, nowMs - pace.at) / rule.intervalMs);
}

/** Float slack, so that refill arithmetic never turns a whole token into a wait of 1 ms more. */
const EPSILON = 1e-9;

/** How many ms until a call may go on this lane (0: now). */
export function msUntilSlot(pace: Pace, rule: PaceRule, nowMs: number): number {
  if (pace.at > nowMs) return Math.max(1, Math.ceil(pace.at - nowMs + Math.max(0, 1 - pace.tokens) * rule.intervalMs));
  const short = 1 - refilled(pace, rule, nowMs);
  return short <= EPSILON ? 0 : Math.max(1, Math.ceil(short * rule.intervalMs - EPSILON));
}

/** The lane once a call goes at `nowMs`; only when msUntilSlot said 0. */
export function afterCall(pace: Pace, rule: PaceRule, nowMs: number): Pace {
  return { tokens: Math.max(0, refilled(pace, rule, nowMs) - 1), at: Math.max(pace.at, nowMs) };
}

/**
 * The lane once the API answered 429 at `nowMs` asking for `retryAfterMs`: nothing goes before the
 * wait ends, then a single call, and the steady pace after it (no burst straight out of a pause).
 * A later pause never shortens an earlier one.
 */
export function afterRateLimited(pace: Pace, nowMs: number, retryAfterMs: number): Pace {
  const until = nowMs + Math.max(0, retryAfterMs);
  return until > pace.at ? { tokens: 1, at: until } : pace;
}

/** A lane at rest: full and not paused, so forgetting it changes nothing. */
export function isAtRest(pace: Pace, rule: PaceRule, nowMs: number): boolean {
  return pace.at <= nowMs && refilled(pace, rule, nowMs) >= rule.burst - EPSILON;
}
