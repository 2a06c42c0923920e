import { afterEach, describe, expect, it } from 'vitest';
import { STANDARD_JOURNEY } from '../../sim/cashfree.js';
import type { SimMessage, SlackCall } from '../../sim/slack.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { threadCodes, track } from '../helpers/tracking.js';

const journey = STANDARD_JOURNEY.slice(1).map((s) => `${s.status}/${s.sub_status}`);
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** Ticks until `done` holds, at most `limit` times. */
async function tickUntil(harness: Harness, done: () => boolean, limit = 300): Promise<void> {
  for (let i = 0; i < limit && !done(); i += 1) {
    await harness.bot.tick();
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The value of one series in the bot's /metrics, 0 when it has no sample yet. */
async function metric(harness: Harness, series: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${harness.bot.port}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? 0 : Number(line.slice(series.length + 1));
}

const repliesTo = (harness: Harness, channel: string): SlackCall[] =>
  harness.slack.calls.filter((c) => c.method === 'chat.postMessage' && c.params['channel'] === channel && c.params['thread_ts'] !== undefined);

describe("Slack's per-channel posting limit", () => {
  it('posts a burst of 60 verifications changing together once each and in order, with next to no 429s', async () => {
    // Slack's limit and the bot's pace, both scaled up tenfold so the test takes seconds instead of minutes.
    const pace = { intervalMs: 125, burst: 4 };
    h = await startHarness({
      env: { CASHFREE_MAX_RPM: '6000', POLL_CONCURRENCY: '8' },
      slackChannelRateLimit: { perSecond: 10, burst: 5 },
      slackPace: { 'chat.postMessage': pace, 'chat.update': pace },
    });
    const harness = h;
    const ids = Array.from({ length: 60 }, (_, i) => `vk_burst_${String(i).padStart(2, '0')}`);
    const parents: SimMessage[] = [];
    for (const id of ids) {
      harness.cashfree.addVerification({ verification_id: id });
      parents.push(await track(harness, id));
    }
    // Two changes each, observed together: 120 replies for one channel.
    for (let round = 0; round < 2; round += 1) {
      for (const id of ids) harness.cashfree.advance(id);
      await harness.bot.tick();
    }
    const caughtUp = () => parents.every((p) => threadCodes(harness, 'C0KYC', p.ts).length >= 2);
    await tickUntil(harness, caughtUp);

    for (const parent of parents) expect(threadCodes(harness, 'C0KYC', parent.ts)).toEqual(journey.slice(0, 2));
    const limited = harness.slack.rateLimited.length;
    // Paced, Slack has next to nothing to refuse. Before pacing, each thread retrying on its own every tick, this run drew 300+.
    expect(limited).toBeLessThanOrEqual(3);
    expect(repliesTo(harness, 'C0KYC').length).toBeLessThanOrEqual(120 + limited);
    expect(await metric(harness, 'kyc_slack_paced_waits_total{method="chat.postMessage"}')).toBeGreaterThan(0);

    // Cards yield to replies: brought up to date once their threads are, within chat.update's own pace.
    const latest = STANDARD_JOURNEY[2]?.sub_status ?? '';
    const current = () => parents.every((p) => harness.slack.messages('C0KYC').find((m) => m.ts === p.ts)?.text.includes(latest) === true);
    await tickUntil(harness, current);
    expect(current()).toBe(true);
    expect(harness.slack.rateLimited.length).toBeLessThanOrEqual(3);
  }, 120_000);

  it('pauses a channel for Retry-After on a 429, every thread in it, while another channel keeps flowing', async () => {
    h = await startHarness();
    const harness = h;
    for (const id of ['vk_paused_a', 'vk_paused_b', 'vk_flowing']) harness.cashfree.addVerification({ verification_id: id });
    const pausedA = await track(harness, 'vk_paused_a');
    const pausedB = await track(harness, 'vk_paused_b');
    const flowing = await track(harness, 'vk_flowing', 'C0OTHER');

    harness.slack.fail('chat.postMessage', { status: 429, retryAfter: 3 }, 1);
    harness.cashfree.advance('vk_paused_a');
    await harness.bot.tick();
    const refused = harness.slack.calls.find((c) => c.method === 'chat.postMessage' && c.failed === true);
    expect(refused?.params['channel']).toBe('C0KYC');

    // Within the pause: the other thread in that channel is not tried, the other channel is.
    harness.cashfree.advance('vk_paused_b');
    harness.cashfree.advance('vk_flowing');
    await harness.bot.tick();
    await harness.bot.tick();
    expect(threadCodes(harness, 'C0OTHER', flowing.ts)).toEqual(journey.slice(0, 1));
    expect(repliesTo(harness, 'C0KYC')).toEqual([refused]);

    await tickUntil(harness, () => [pausedA, pausedB].every((p) => threadCodes(harness, 'C0KYC', p.ts).length === 1));
    for (const parent of [pausedA, pausedB]) expect(threadCodes(harness, 'C0KYC', parent.ts)).toEqual(journey.slice(0, 1));
    const [, resumed] = repliesTo(harness, 'C0KYC');
    expect((resumed?.at ?? 0) - (refused?.at ?? 0)).toBeGreaterThanOrEqual(3_000);
    expect(repliesTo(harness, 'C0KYC')).toHaveLength(3);
    expect(await metric(harness, 'kyc_slack_429_responses_total{method="chat.postMessage"}')).toBe(1);
    expect(await metric(harness, 'kyc_slack_paced_waits_total{method="chat.postMessage"}')).toBeGreaterThan(0);
  }, 60_000);

  it("holds an agent's card until the channel's pause ends, instead of drawing another 429", async () => {
    h = await startHarness();
    const harness = h;
    for (const id of ['vk_first', 'vk_second']) harness.cashfree.addVerification({ verification_id: id });
    await track(harness, 'vk_first');
    harness.slack.fail('chat.postMessage', { status: 429, retryAfter: 2 }, 1);
    harness.cashfree.advance('vk_first');
    await harness.bot.tick();
    const refused = harness.slack.calls.find((c) => c.method === 'chat.postMessage' && c.failed === true);
    expect(refused?.params['channel']).toBe('C0KYC');

    const answer = await harness.kyc('track vk_second', { channelId: 'C0KYC' });
    const [reply] = await harness.slack.waitFor(() => {
      const replies = harness.repliesTo(answer.responseUrl);
      return replies.length > 0 ? replies : undefined;
    }, 15_000);
    expect(reply).toContain('Tracking');
    const card = harness.slack.calls.find((c) => c.method === 'chat.postMessage' && c.failed !== true && c.at > (refused?.at ?? 0));
    expect((card?.at ?? 0) - (refused?.at ?? 0)).toBeGreaterThanOrEqual(2_000);
    expect(harness.slack.calls.filter((c) => c.failed === true)).toEqual([refused]);
  }, 60_000);
});
