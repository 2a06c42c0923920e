import { ErrorCode } from '@slack/web-api';
import { describe, expect, it } from 'vitest';
import { SlackHeldBack, isSlackApiError, slackFailure } from '../../src/slack/failures.js';
import { createSlackPacer, pacedCall, type PacedMethod } from '../../src/tracking/pacing.js';

/** What @slack/web-api throws for an HTTP 429 (rejectRateLimitedCalls), with Retry-After in seconds. */
const rateLimited = (retryAfter: number) => Object.assign(new Error('rate limited'), { code: ErrorCode.RateLimitedError, retryAfter });

function fakeClockPacer() {
  const clock = { now: 0 };
  const seen = { limited: [] as PacedMethod[], paced: [] as PacedMethod[] };
  const pacer = createSlackPacer({
    now: () => clock.now,
    rules: { 'chat.postMessage': { intervalMs: 1_000, burst: 2 } },
    onRateLimited: (method) => seen.limited.push(method),
    onPaced: (method) => seen.paced.push(method),
  });
  return { clock, pacer, seen };
}

const channel = (id: string) => ({ method: 'chat.postMessage', channel: id }) as const;

describe('the Slack pacer', () => {
  it('keeps one lane per channel', () => {
    const { pacer, seen } = fakeClockPacer();
    expect([pacer.tryTake(channel('C1')), pacer.tryTake(channel('C1')), pacer.tryTake(channel('C1'))]).toEqual([0, 0, 1_000]);
    expect(pacer.tryTake(channel('C2'))).toBe(0);
    expect(seen.paced).toEqual(['chat.postMessage']);
  });

  it("pauses a channel's lane for exactly Retry-After on a 429, and nothing else", () => {
    const { clock, pacer, seen } = fakeClockPacer();
    expect(pacer.tryTake(channel('C1'))).toBe(0);
    pacer.failed(channel('C1'), rateLimited(30));
    expect(seen.limited).toEqual(['chat.postMessage']);
    expect(pacer.tryTake(channel('C1'))).toBe(30_000);
    expect(pacer.tryTake(channel('C2'))).toBe(0);
    expect(pacer.tryTake({ method: 'chat.update' })).toBe(0);
    clock.now = 29_999;
    expect(pacer.tryTake(channel('C1'))).toBe(1);
    clock.now = 30_000;
    expect(pacer.tryTake(channel('C1'))).toBe(0);
    expect(pacer.tryTake(channel('C1'))).toBe(1_000);
  });

  it('ignores failures that are not rate limits', () => {
    const { pacer, seen } = fakeClockPacer();
    pacer.failed(channel('C1'), Object.assign(new Error('x'), { code: ErrorCode.PlatformError, data: { error: 'not_in_channel' } }));
    pacer.failed(channel('C1'), new SlackHeldBack('chat.postMessage', 5_000));
    expect(seen.limited).toEqual([]);
    expect(pacer.tryTake(channel('C1'))).toBe(0);
  });

  it('holds a call back without asking Slack when no slot comes in time, and says so as a rate limit', async () => {
    const { pacer } = fakeClockPacer();
    pacer.failed(channel('C1'), rateLimited(60));
    let asked = false;
    const held = await pacedCall(pacer, channel('C1'), 10, async () => {
      asked = true;
    }).catch((error: unknown) => error);
    expect(asked).toBe(false);
    expect(held).toBeInstanceOf(SlackHeldBack);
    expect(slackFailure(held)).toEqual({ code: 'ratelimited', retryAfterMs: 60_000, targetGone: false, inDoubt: false });
    expect(isSlackApiError(held)).toBe(true);
  });

  it('pauses the lane when the paced call draws a 429', async () => {
    const { pacer, seen } = fakeClockPacer();
    await expect(pacedCall(pacer, channel('C1'), 0, () => Promise.reject(rateLimited(2)))).rejects.toMatchObject({ retryAfter: 2 });
    expect(seen.limited).toEqual(['chat.postMessage']);
    expect(pacer.tryTake(channel('C1'))).toBe(2_000);
  });
});
