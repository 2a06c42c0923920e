import { setTimeout as delay } from 'node:timers/promises';
import { expect } from 'vitest';
import type { SimMessage, SimView } from '../../sim/slack.js';
import type { TickStats } from '../../src/jobs/poller.js';
import type { Harness } from './harness.js';
import { logRecordsOf } from './logs.js';

/** Tracks a verification with `/kyc track` and returns its parent message once posted. */
export async function track(h: Harness, verificationId: string, channelId = 'C0KYC', userId = 'U0AGENT'): Promise<SimMessage> {
  const answer = await h.kyc(`track ${verificationId}`, { channelId, userId });
  expect(answer.status).toBe(200);
  const [reply] = await h.waitForReply(answer.responseUrl);
  expect(reply).toContain('Tracking');
  const parent = h.slack.messages(channelId).find((m) => m.thread_ts === undefined && m.text.includes(verificationId));
  expect(parent).toBeDefined();
  return parent as SimMessage;
}

let homeEvents = 0;
/** Sends app_home_opened for `userId`, as Slack does when they open the tab, and returns the Home view the bot publishes in answer. */
export async function openHome(h: Harness, userId: string): Promise<SimView> {
  const before = h.slack.views.length;
  homeEvents += 1;
  const answer = await h.event({
    type: 'event_callback',
    team_id: 'T0SIM',
    api_app_id: 'A0KYC',
    event: { type: 'app_home_opened', user: userId, channel: `D${userId}`, tab: 'home', event_ts: `${Date.now() / 1000}` },
    event_id: `EvHome${userId}${homeEvents}`,
    event_time: Math.floor(Date.now() / 1000),
  });
  expect(answer.status).toBe(200);
  return h.slack.waitFor(() => (h.slack.views.slice(before).some((v) => v.userId === userId) ? h.slack.home(userId) : undefined));
}

/** The replies in a thread as "STATUS/SUB_STATUS" pairs, read from their text. */
export function threadCodes(h: Harness, channelId: string, parentTs: string): string[] {
  return h.slack
    .thread(channelId, parentTs)
    .map((m) => /`([A-Z_]+)` \/ `([A-Z_\-—]+)`/.exec(m.text))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => `${match[1]}/${match[2]}`);
}

export function everySlackCallText(h: Harness): string {
  return JSON.stringify([h.slack.calls, h.slack.responses, h.slack.messages('C0KYC'), h.slack.messages('C0OTHER')]);
}

/** A pause between ticks driven by hand: backoffs and Retry-After run in real time, and a loop without one would only spin. */
const TICK_PAUSE_MS = 25;

/** Runs poll ticks until `done` holds after one (it sees that tick's stats), or fails naming `what`. */
export async function tickUntil(h: Harness, what: string, done: (stats: TickStats | undefined) => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (done(await h.bot.tick())) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await delay(TICK_PAUSE_MS);
  }
}

/** Advances the simulator one step and ticks until the bot has fetched that state. */
export async function advanceAndObserve(h: Harness, verificationId: string): Promise<void> {
  const before = h.cashfree.pollCount(verificationId);
  h.cashfree.advance(verificationId);
  await tickUntil(h, `a successful poll of ${verificationId}`, () => h.cashfree.pollCount(verificationId) > before);
}

/** The body of the bot's /healthz. */
export async function health(h: Harness): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`http://127.0.0.1:${h.bot.port}/healthz`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/**
 * Ticks until a thread holds `count` replies and nothing is left to post (`pending` on /healthz counts
 * every change Slack has not confirmed): only a pending change could be posted again, so a duplicate would show.
 */
export async function settledThread(h: Harness, channelId: string, parentTs: string, count: number): Promise<string[]> {
  const settled = async () => h.slack.thread(channelId, parentTs).length >= count && (await health(h)).body['pending'] === 0;
  const deadline = Date.now() + 20_000;
  while (!(await settled())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${count} replies in the thread and nothing pending`);
    await h.bot.tick();
    await delay(TICK_PAUSE_MS);
  }
  return threadCodes(h, channelId, parentTs);
}

/** The bot's JSON log records. */
export function logRecords(h: Harness): Record<string, unknown>[] {
  return logRecordsOf(h.logs);
}

/**
 * Ticks for a harness whose clock is moved by hand (`now: () => clock.now`): each tick a few seconds later, once
 * this process holds the poll lease again (a jump of the clock expires it until the next renewal).
 */
export function handClockTicks(harness: () => Harness, clock: { now: number }) {
  const step = (ms: number) => {
    clock.now += ms;
  };
  async function tick(ms = 5_000): Promise<void> {
    step(ms);
    for (let attempt = 0; attempt < 200; attempt += 1) {
      if ((await harness().bot.tick()) !== undefined) return;
      await delay(25);
    }
    throw new Error('the bot never held the poll lease');
  }
  async function ticks(count: number): Promise<void> {
    for (let i = 0; i < count; i += 1) await tick();
  }
  /** Ticks until `check` holds (the request budget lets a few polls through per tick), or fails naming `what`. */
  async function until<T>(what: string, check: () => T | undefined | false): Promise<T> {
    for (let i = 0; i < 60; i += 1) {
      const result = check();
      if (result !== undefined && result !== false) return result;
      await tick();
    }
    throw new Error(`never: ${what}`);
  }
  return { step, tick, ticks, until };
}
