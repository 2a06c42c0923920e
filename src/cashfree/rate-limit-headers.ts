type Headers = Record<string, string | string[] | undefined>;

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * How long the server asked us to wait, in ms: `Retry-After` (seconds or an HTTP date),
 * else `X-RateLimit-Retry`, else `X-RateLimit-Reset` (seconds until the window resets).
 */
export function retryAfterMs(headers: Headers, nowMs: number): number | undefined {
  const retryAfter = first(headers['retry-after']);
  if (retryAfter !== undefined && retryAfter.trim() !== '') {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.max(0, date - nowMs);
  }
  for (const name of ['x-ratelimit-retry', 'x-ratelimit-reset']) {
    const seconds = Number(first(headers[name]));
    if (first(headers[name]) !== undefined && Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  }
  return undefined;
}
