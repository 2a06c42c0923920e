/**
 * A circuit breaker shared by every tracked verification. When Cashfree fails
 * for everyone (5xx, timeouts, resets, refused credentials) across several
 * distinct verifications with no success between, polling stops and each tick
 * sends one probe instead; the first success closes it, and since systemic
 * failures earn no per-verification backoff, everything is due again at once.
 * Errors about one verification (404, validation) and rate limits say nothing
 * about Cashfree being down, so they neither open nor close it. No I/O, no clock.
 */

export interface Breaker {
  state: 'closed' | 'open';
  /** Distinct verifications that failed systemically since Cashfree last answered (at most the threshold). */
  failing: readonly string[];
  /** How many times it has opened: a counter for metrics. */
  opened: number;
}

export type BreakerEvent =
  | { kind: 'success' }
  | { kind: 'systemic_failure'; verificationId: string }
  /** A 404, a validation error or a 429: Cashfree answered, about one verification or about our pace. */
  | { kind: 'neutral' };

/** Three verifications failing in a row is an outage, not one odd verification. */
export const DEFAULT_BREAKER_THRESHOLD = 3;

export const CLOSED_BREAKER: Breaker = { state: 'closed', failing: [], opened: 0 };

export function breakerAfter(breaker: Breaker, event: BreakerEvent, threshold = DEFAULT_BREAKER_THRESHOLD): Breaker {
  switch (event.kind) {
    case 'success':
      return breaker.state === 'closed' && breaker.failing.length === 0 ? breaker : { ...breaker, state: 'closed', failing: [] };
    case 'neutral':
      return breaker;
    case 'systemic_failure': {
      if (breaker.failing.includes(event.verificationId) || breaker.failing.length >= threshold) return breaker;
      const failing = [...breaker.failing, event.verificationId];
      if (breaker.state === 'closed' && failing.length >= threshold) {
        return { state: 'open', failing, opened: breaker.opened + 1 };
      }
      return { ...breaker, failing };
    }
  }
}
