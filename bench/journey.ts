import { join } from 'node:path';
import { createRequestBudget } from '../src/tracking/budget.js';
import { runTick, type TickStats } from '../src/jobs/poller.js';
import { scheduleJob, tickMaxMsFor } from '../src/jobs/scheduler.js';
import { openStore } from '../src/store/store.js';
import { finalReasonFor } from '../src/vkyc/lifecycle.js';
import { planJourney, type PlannedJourney } from './journey-plan.js';
import { roundRobinPoll, type VkycAnswer } from './naive-poller.js';
import { delay } from './pace.js';
import { DEFAULT_TERMINAL_STATUSES, pollerDeps, quietLogger } from './poller-deps.js';
import { seededRandom, uniformMs } from './prng.js';
import { scratchDir } from './scratch.js';
import { benchId } from './seed.js';
import type { Sims } from './sims.js';
import { slidingWindows, summarize, type Summary } from './stats.js';
import { namesState, repliesByThread, seedTrackedThread } from './threads.js';

export const JOURNEY = {
  maxRpm: 600,
  verifications: 300,
  /** Every tenth verification moves through a journey; the rest wait for their customer. */
  movingEvery: 10,
  /** Idle verifications whose link expires during the run. */
  expiring: 10,
  schedule: '* * * * * *',
  concurrency: 4,
  cashfreeLatencyMs: 50,
  seed: 20_261_122,
  /** Every journey ends within this time from the start (longer draws are drawn again). */
  journeysEndByMs: 100_000,
  /** Setup (600 simulator verifications, 300 parent messages) happens before this lead runs out. */
  setupLeadMs: 10_000,
  /** After the last change, time for the last replies. */
  settleMs: 6_000,
};
const CHANNEL = 'C0JOURNEY';
const HOUR = 60 * 60_000;

export interface CaptureResult {
  /** States customers went through (journey steps and expired links). */
  states: number;
  captured: number;
  capture: number;
  /** Change to thread reply (bot), or change to the answer that first showed it (round-robin). */
  ms: Summary;
  /** Link expiry to its reply (bot) or to the first answer after it (round-robin). */
  expiryMs: Summary;
  requests: number;
  /** Most status requests in any 60 s window. */
  maxPerMinute: number;
}

export interface JourneyResults {
  maxRpm: number;
  verifications: number;
  moving: number;
  scheduledCalls: number;
  expiring: number;
  runMs: number;
  ticks: number;
  bot: CaptureResult;
  roundRobin: CaptureResult;
}

interface Seeded {
  kind: 'moving' | 'expiring' | 'idle';
  botId: string;
  rrId: string;
  parentTs: string;
  journey?: PlannedJourney;
  expiryAt?: number;
}

/**
 * Measure 8: a few hundred tracked verifications at a fixed budget, a tenth of
 * them moving through journeys, a few links expiring, the rest idle. The bot's
 * poller (runTick on the real store, budget and Cashfree client, on a one-second
 * schedule, posting to the Slack simulator) and a round-robin poller at the same
 * budget watch two copies of the same journeys in the same run.
 */
export async function measureJourney(sims: Sims): Promise<JourneyResults> {
  sims.forget();
  sims.cashfree.setLatency(JOURNEY.cashfreeLatencyMs);
  const random = seededRandom(JOURNEY.seed);
  const start = Date.now() + JOURNEY.setupLeadMs;
  const store = openStore(join(scratchDir('journey'), 'kyc.sqlite'));
  const budget = createRequestBudget({ max: JOURNEY.maxRpm, db: store.db });
  const deps = pollerDeps(store, sims, { concurrency: JOURNEY.concurrency, budget, tickMaxMs: tickMaxMsFor(JOURNEY.schedule) });

  const seeded: Seeded[] = [];
  let expiring = 0;
  for (let i = 0; i < JOURNEY.verifications; i += 1) {
    const kind = i % JOURNEY.movingEvery === 0 ? 'moving' : i % JOURNEY.movingEvery === 5 && expiring < JOURNEY.expiring ? 'expiring' : 'idle';
    if (kind === 'expiring') expiring += 1;
    const item: Seeded = { kind, botId: benchId('jb', i), rrId: benchId('jr', i), parentTs: '' };
    if (kind === 'moving') item.journey = planJourney(random, JOURNEY.journeysEndByMs);
    if (kind === 'expiring') item.expiryAt = start + uniformMs(random, 10_000, 80_000);
    const linkExpiry = new Date(item.expiryAt ?? start + 7 * 24 * HOUR).toISOString();
    for (const id of [item.botId, item.rrId]) {
      sims.cashfree.addVerification({ verification_id: id, link_expiry: linkExpiry, steps: [{ status: 'RECEIVED', sub_status: 'LINK_GENERATED' }] });
    }
    // Moving ones had their link sent a minute or so ago; idle ones have waited for hours.
    const createdAt = kind === 'moving' ? start - uniformMs(random, 30_000, 90_000) : start - uniformMs(random, HOUR, 6 * HOUR);
    const lastPolledAt = kind === 'moving' ? start - uniformMs(random, 0, 1_000) : start - uniformMs(random, 0, 5 * 60_000);
    const state = {
      verificationId: item.botId,
      referenceId: undefined,
      userId: undefined,
      status: 'RECEIVED',
      subStatus: 'LINK_GENERATED',
      linkExpiry,
      meetingSchedule: undefined,
      hasRecording: false,
    };
    item.parentTs = await seedTrackedThread(store, deps.slack, CHANNEL, state, { createdAt, lastPolledAt });
    seeded.push(item);
  }
  if (Date.now() > start) throw new Error('bench: journey setup took longer than its lead; raise JOURNEY.setupLeadMs');
  sims.forget();
  await delay(start - Date.now());

  const ticks: TickStats[] = [];
  const job = scheduleJob('poll', JOURNEY.schedule, async (signal) => void ticks.push(await runTick(deps, signal)), quietLogger());
  const seen = new Map<string, { code: string; at: number }[]>();
  const stopRoundRobin = new AbortController();
  const roundRobin = roundRobinPoll(
    sims.cashfree.baseUrl,
    seeded.map((s) => s.rrId),
    { perMinute: JOURNEY.maxRpm, signal: stopRoundRobin.signal, answered: (id, answer, at) => noteAnswer(seen, id, answer, at) },
  );
  const applied = await driveJourneys(sims, seeded, start);
  const lastChange = Math.max(...seeded.map((s) => s.expiryAt ?? 0), ...[...applied.values()].flat().map((a) => a.at));
  await delay(lastChange + JOURNEY.settleMs - Date.now());
  stopRoundRobin.abort();
  await job.stop(5_000);
  await roundRobin;
  const end = Date.now();
  await deps.cashfree.close();

  const replies = repliesByThread(sims, CHANNEL);
  const requestsBy = (prefix: string) =>
    sims.cashfree.requests.filter((r) => r.op === 'vkyc' && (r.query['verification_id'] ?? '').startsWith(prefix)).map((r) => r.at);
  const results: JourneyResults = {
    maxRpm: JOURNEY.maxRpm,
    verifications: JOURNEY.verifications,
    moving: seeded.filter((s) => s.kind === 'moving').length,
    scheduledCalls: seeded.filter((s) => s.journey?.scheduledCall === true).length,
    expiring,
    runMs: end - start,
    ticks: ticks.length,
    bot: capture(seeded, applied, requestsBy('jb_'), start, end, (s, status, subStatus) => {
      const thread = replies.get(s.parentTs) ?? [];
      if (status === undefined) return thread[0]?.at;
      return thread.find((r) => namesState(r.text, status, subStatus ?? ''))?.at;
    }),
    roundRobin: capture(seeded, applied, requestsBy('jr_'), start, end, (s, status, subStatus) => {
      const answers = seen.get(s.rrId) ?? [];
      const code = status === undefined ? 'expired' : `${status}/${subStatus}`;
      return answers.find((a) => a.code === code)?.at;
    }),
  };
  store.close();
  sims.cashfree.setLatency(0);
  sims.forget();
  return results;
}

/** Applies every planned state to both copies at its time; returns when each was applied, per verification. */
async function driveJourneys(sims: Sims, seeded: readonly Seeded[], start: number): Promise<Map<Seeded, { at: number }[]>> {
  const events = seeded
    .flatMap((s) => (s.journey?.states ?? []).map((state) => ({ s, state })))
    .sort((a, b) => a.state.atMs - b.state.atMs);
  const applied = new Map<Seeded, { at: number }[]>();
  for (const { s, state } of events) {
    const wait = start + state.atMs - Date.now();
    if (wait > 0) await delay(wait);
    const meeting = state.meetingAtMs === undefined ? undefined : new Date(start + state.meetingAtMs).toISOString();
    for (const id of [s.botId, s.rrId]) {
      sims.cashfree.setState(id, { status: state.status, sub_status: state.subStatus, ...(meeting === undefined ? {} : { meeting_schedule: meeting }) });
    }
    const list = applied.get(s) ?? [];
    list.push({ at: Date.now() });
    applied.set(s, list);
  }
  return applied;
}

/** What the round-robin poller saw: each new code once, with when; an expired link as 'expired'. */
function noteAnswer(seen: Map<string, { code: string; at: number }[]>, id: string, answer: VkycAnswer, at: number): 'done' | 'again' {
  const list = seen.get(id) ?? [];
  seen.set(id, list);
  const status = answer.status ?? '';
  const code = `${status}/${answer.sub_status ?? ''}`;
  if (list.at(-1)?.code !== code) list.push({ code, at });
  const final = finalReasonFor(status, answer.link_expiry, DEFAULT_TERMINAL_STATUSES, at);
  if (final === 'link_expired') list.push({ code: 'expired', at });
  return final === undefined ? 'again' : 'done';
}

/**
 * Capture and latency for one poller. `shownAt` says when the poller showed a
 * state (a journey state, or with no status the expired link), or undefined.
 */
function capture(
  seeded: readonly Seeded[],
  applied: Map<Seeded, { at: number }[]>,
  requestTimes: number[],
  start: number,
  end: number,
  shownAt: (s: Seeded, status?: string, subStatus?: string) => number | undefined,
): CaptureResult {
  const latencies: number[] = [];
  const expiryLatencies: number[] = [];
  let states = 0;
  for (const s of seeded) {
    for (const [i, state] of (s.journey?.states ?? []).entries()) {
      const at = applied.get(s)?.[i]?.at;
      if (at === undefined) continue;
      states += 1;
      const shown = shownAt(s, state.status, state.subStatus);
      if (shown !== undefined) latencies.push(shown - at);
    }
    if (s.expiryAt !== undefined) {
      states += 1;
      const shown = shownAt(s);
      if (shown !== undefined) expiryLatencies.push(shown - s.expiryAt);
    }
  }
  const captured = latencies.length + expiryLatencies.length;
  return {
    states,
    captured,
    capture: captured / states,
    ms: summarize([...latencies, ...expiryLatencies]),
    expiryMs: summarize(expiryLatencies),
    requests: requestTimes.length,
    maxPerMinute: slidingWindows(requestTimes, 60_000, start, end).maxInWindow,
  };
}
