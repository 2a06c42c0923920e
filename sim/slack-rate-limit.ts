/** Slack's per-channel posting limit, as the simulator enforces it when a test turns it on. */
export interface ChannelRateLimit {
  /** Calls per second to one channel, per method, in the long run. */
  perSecond: number;
  /** Calls that may go back to back after a quiet spell. */
  burst: number;
}

/** The methods Slack limits per channel (chat.update stands in for its workspace tier here, on the safe side). */
const LIMITED_METHODS = new Set(['chat.postMessage', 'chat.update']);

/**
 * A token bucket per method and channel. A call within the allowance takes a token; one beyond it is
 * refused with the whole seconds until a token is free, which is what Slack's Retry-After says.
 */
export function createChannelRateLimiter(now: () => number = Date.now) {
  let limit: ChannelRateLimit | undefined;
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    set(next: ChannelRateLimit | undefined): void {
      limit = next;
      buckets.clear();
    },
    /** Undefined when the call may go (it took a token), else the Retry-After in seconds. */
    check(method: string, channel: string | undefined): number | undefined {
      if (limit === undefined || channel === undefined || !LIMITED_METHODS.has(method)) return undefined;
      const at = now();
      const key = `${method} ${channel}`;
      const perMs = limit.perSecond / 1000;
      const bucket = buckets.get(key) ?? { tokens: limit.burst, at };
      bucket.tokens = Math.min(limit.burst, bucket.tokens + Math.max(0, at - bucket.at) * perMs);
      bucket.at = at;
      buckets.set(key, bucket);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return undefined;
      }
      return Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000));
    },
  };
}
