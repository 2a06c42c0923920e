import { monitorEventLoopDelay } from 'node:perf_hooks';
import { join } from 'node:path';
import { createRequestBudget } from '../src/tracking/budget.js';
import { runTick, type TickStats } from '../src/jobs/poller.js';
import { createPlanner } from '../src/jobs/planner.js';
import { scheduleJob, tickMaxMsFor } from '../src/jobs/scheduler.js';
import { openStore, type Store } from '../src/store/store.js';
import { finalReasonFor } from '../src/vkyc/lifecycle.js';
import { simulateIdeal } from './ideal-scheduler.js';
import { SCHEDULED_QUEUE_SUB_STATUS } from './journey-plan.js';
import { generateMix, idealSubjects, NAMED_MIXES, RANDOM_MIX_SEEDS, randomMixSpec, type IdealKnowledge, type Mix, type MixSpec } from './journey-mixes.js';
import { roundRobinPoll, type VkycAnswer } from './naive-poller.js';
import { delay } from './pace.js';
import { DEFAULT_TERMINAL_STATUSES, pollerDeps, quietLogger } from './poller-deps.js';
import { scratchDir } from './scratch.js';
import { benchId } from './seed.js';
import type { Sims } from './sims.js';
import { slidingWindows, summarize, type Summary } from './stats.js';
import { namesState, repliesByThread, seedTrackedThread } from './threads.js';

export const JOURNEY = {
  schedule: '* * * * * *',
  concurrency: 4,
  cashfreeLatencyMs: 50,
  /**
   * Mixes run side by side, this many at a time, each with its own store, budget,
   * poller, round-robin poller and channel, against the shared simulators: 14
   * mixes of about 100 s each one after another would take 25 minutes.
   */
  batchSize: 5,
  /** Setup (simulator verifications, parent messages, store rows) must finish within this lead… */
  setupLeadBaseMs: 5_000,
  /** …plus this per verification in the batch. */
  setupLeadPerVerificationMs: 10,
  /** After the last change, time for the last replies. */
  settleMs: 6_000,
};
const DAY = 24 * 60 * 60_000;

/** Everything one poller showed of a mix. */
export interface CaptureResult {
  /** States customers went through (journey steps and expired links). */
  states: number;
  captured: number;
  capture: number;
  /** Change to thread reply (bot), to the answer that first showed it (round-robin), or to the poll that saw it (ideal). */
  ms: Summary;
  expiring: number;
  /** Link expiry to its reply, or to the first answer after it. */
  expiryMs: Summary;
  /** States a booked call reaches at its time (SCHEDULED_USER_QUEUED). */
  scheduledStates: number;
  scheduledMs: Summary;
  /**
   * The first two steps after a customer opens the link (Aadhaar, then the IP check): catching them needs a poll
   * within seconds of an opening that only a scheduler told when each group opens can expect.
   */
  openingStates: number;
  openingCaptured: number;
  requests: number;
  /** Most status requests in any 60 s window. */
  maxPerMinute: number;
}

export interface MixResult {
  key: string;
  kind: MixSpec['kind'];
  title: string;
  seed: number;
  maxRpm: number;
  verifications: number;
  fresh: number;
  moving: number;
  scheduledCalls: number;
  expiring: number;
  runMs: number;
  ticks: number;
  bot: CaptureResult;
  roundRobin: CaptureResult;
  ideal: CaptureResult;
  /** The same ideal, knowing only how long the board's links stay unopened, not which batch each belongs to. */
  stateIdeal: CaptureResult;
}

export interface BatchResult {
  keys: string[];
  /** Event-loop delay of the bench process over the batch: the pollers of several mixes share it. */
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
  ms: number;
}

export interface JourneyFamilyResults {
  cashfreeLatencyMs: number;
  mixes: MixResult[];
  batches: BatchResult[];
}

/** What happened to one verification in the run: when each planned state was applied (epoch ms). */
interface Played {
  botId: string;
  rrId: string;
  parentTs: string;
  appliedAt: number[];
}

/** Every observable state of a mix: a journey step, or an expired link. */
interface Observable {
  verification: number;
  /** Journey step index, or undefined for the expired link. */
  step: number | undefined;
  status: string;
  subStatus: string;
  at: number;
}

/**
 * Measure 8: the family of journey mixes (bench/journey-mixes.ts). Each mix runs
 * in real time: the bot's poller (runTick on the real store, budget and Cashfree
 * client, every second, posting to the Slack simulator) and a round-robin poller
 * at the same budget watch two copies of the same journeys; the ideal online
 * scheduler (bench/ideal-scheduler.ts) is then simulated on the timeline the run played.
 */
export async function measureJourneyFamily(sims: Sims): Promise<JourneyFamilyResults> {
  sims.cashfree.setLatency(JOURNEY.cashfreeLatencyMs);
  // BENCH_MIXES=a,e3 runs only those mixes, for working on one.
  const only = (process.env['BENCH_MIXES'] ?? '').split(',').filter((key) => key !== '');
  const specs: MixSpec[] = [...NAMED_MIXES, ...RANDOM_MIX_SEEDS.map(randomMixSpec), ...NAMED_MIXES.map(warmed)].filter(
    (spec) => only.length === 0 || only.includes(spec.key),
  );
  const mixes: MixResult[] = [];
  const batches: BatchResult[] = [];
  try {
    for (let first = 0; first < specs.length; first += JOURNEY.batchSize) {
      const batch = specs.slice(first, first + JOURNEY.batchSize).map(generateMix);
      const started = Date.now();
      const loop = monitorEventLoopDelay({ resolution: 10 });
      loop.enable();
      mixes.push(...(await runBatch(sims, batch)));
      loop.disable();
      batches.push({
        keys: batch.map((m) => m.spec.key),
        loopDelayP99Ms: loop.percentile(99) / 1e6,
        loopDelayMaxMs: loop.max / 1e6,
        ms: Date.now() - started,
      });
      process.stderr.write(`bench: journey mixes ${batch.map((m) => m.spec.key).join(', ')} took ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
    }
  } finally {
    sims.cashfree.setLatency(0);
    sims.forget();
  }
  return { cashfreeLatencyMs: JOURNEY.cashfreeLatencyMs, mixes, batches };
}

async function runBatch(sims: Sims, batch: readonly Mix[]): Promise<MixResult[]> {
  sims.forget();
  const total = batch.reduce((sum, m) => sum + m.verifications.length, 0);
  const start = Date.now() + JOURNEY.setupLeadBaseMs + total * JOURNEY.setupLeadPerVerificationMs;
  const setupStarted = Date.now();
  const boards = [];
  for (const mix of batch) boards.push(await seedBoard(sims, mix, start));
  if (Date.now() > start) throw new Error('bench: journey setup took longer than its lead; raise JOURNEY.setupLeadPerVerificationMs');
  process.stderr.write(`bench: journey setup of ${total} verifications took ${((Date.now() - setupStarted) / 1000).toFixed(1)} s of its ${((start - setupStarted) / 1000).toFixed(1)} s lead\n`);
  await delay(start - Date.now());
  return Promise.all(boards.map((board) => runMix(sims, board, start)));
}

interface Board {
  mix: Mix;
  store: Store;
  deps: ReturnType<typeof pollerDeps>;
  channel: string;
  played: Played[];
}

function prefixes(mix: Mix): { bot: string; rr: string } {
  return { bot: `j${mix.spec.key}b`, rr: `j${mix.spec.key}r` };
}

/** The mix's verifications in the simulator (two copies each) and in a store of its own, as a bot that has run for a while leaves them. */
async function seedBoard(sims: Sims, mix: Mix, start: number): Promise<Board> {
  const store = openStore(join(scratchDir(`journey-${mix.spec.key}`), 'kyc.sqlite'));
  const channel = `C0J${mix.spec.key.toUpperCase()}`;
  const budget = createRequestBudget({ max: mix.spec.maxRpm, db: store.db });
  const deps = pollerDeps(store, sims, { concurrency: JOURNEY.concurrency, budget, tickMaxMs: tickMaxMsFor(JOURNEY.schedule) });
  const prefix = prefixes(mix);
  const played: Played[] = [];
  if (isWarm(mix.spec)) seedHistory(store, mix.spec, start);
  for (const [i, v] of mix.verifications.entries()) {
    const botId = benchId(prefix.bot, i);
    const rrId = benchId(prefix.rr, i);
    const linkExpiry = new Date(start + (v.expiresAtMs ?? 7 * DAY)).toISOString();
    for (const id of [botId, rrId]) {
      sims.cashfree.addVerification({ verification_id: id, link_expiry: linkExpiry, steps: [{ status: 'RECEIVED', sub_status: 'LINK_GENERATED' }] });
    }
    const state = {
      verificationId: botId,
      referenceId: undefined,
      userId: undefined,
      status: 'RECEIVED',
      subStatus: 'LINK_GENERATED',
      linkExpiry,
      meetingSchedule: undefined,
      hasRecording: false,
    };
    const times = { createdAt: start + v.trackedAtMs, lastPolledAt: start + v.lastPolledAtMs };
    const parentTs = await seedTrackedThread(store, deps.slack, channel, state, times);
    played.push({ botId, rrId, parentTs, appliedAt: [] });
  }
  replanAsRunning(store, mix, played, start);
  return { mix, store, deps, channel, played };
}

/**
 * The old links' next polls as a bot that had been planning the board would have left them: its plan
 * balanced for this board and budget, each next poll planned from the last one by that plan (they were
 * last polled up to 5 minutes ago: a plan at the lowest threshold would have polled them since). Links
 * tracked in the last minutes keep the next poll their tracking planned, before a plan counted them.
 */
function replanAsRunning(store: Store, mix: Mix, played: readonly Played[], start: number): void {
  createPlanner({ store, requestsPerMinute: mix.spec.maxRpm }).refresh(start);
  store.db.transaction(() => {
    for (const [i, v] of mix.verifications.entries()) {
      if (mix.spec.groups[v.group]?.label !== 'old') continue;
      const id = played[i]?.botId;
      const row = id === undefined ? undefined : store.verification(id);
      if (row === undefined) continue;
      store.recordObservation({
        state: { verificationId: row.verification_id, referenceId: undefined, userId: undefined, status: row.status, subStatus: row.sub_status, linkExpiry: row.link_expiry ?? undefined, meetingSchedule: undefined, hasRecording: false },
        nowMs: start + v.lastPolledAtMs,
        finalReason: undefined,
      });
    }
  })();
}

/** A named mix played by a bot with history: the same board, and yesterday's customers of the same kind in its store. */
function warmed(spec: MixSpec): MixSpec {
  return { ...spec, key: `${spec.key}+`, title: `${spec.title}, with history` };
}

function isWarm(spec: MixSpec): boolean {
  return spec.key.endsWith('+');
}

/**
 * What a bot that has run for a while has learned: the journeys of an earlier board drawn from the same
 * spec (another seed), recorded as the bot records polls, three hours before the run, none of them tracked
 * any more. Customers who never opened their link leave two minutes of waiting; the rest their whole journey.
 */
function seedHistory(store: Store, spec: MixSpec, start: number): void {
  const past = generateMix({ ...spec, seed: spec.seed + 7_919 });
  const base = start - 3 * 60 * 60_000;
  const observe = (id: string, status: string, subStatus: string, at: number) =>
    store.recordObservation({
      state: { verificationId: id, referenceId: undefined, userId: undefined, status, subStatus, linkExpiry: undefined, meetingSchedule: undefined, hasRecording: false },
      nowMs: at,
      finalReason: finalReasonFor(status, undefined, DEFAULT_TERMINAL_STATUSES, at),
    });
  store.db.transaction(() => {
    for (const [i, v] of past.verifications.entries()) {
      const id = benchId(`h${spec.key.replace('+', '')}`, i);
      const trackedAt = base + Math.max(-120_000, v.trackedAtMs);
      observe(id, 'RECEIVED', 'LINK_GENERATED', trackedAt);
      const states = v.journey?.states ?? [];
      // Seen by a poll half a second after each step, as a busy bot would.
      for (const state of states) observe(id, state.status, state.subStatus, base + state.atMs + 500);
      if (states.length === 0) observe(id, 'RECEIVED', 'LINK_GENERATED', trackedAt + 120_000);
    }
  })();
}

async function runMix(sims: Sims, board: Board, start: number): Promise<MixResult> {
  const { mix, store, deps, played } = board;
  const ticks: TickStats[] = [];
  const job = scheduleJob(`poll-${mix.spec.key}`, JOURNEY.schedule, async (signal) => void ticks.push(await runTick(deps, signal)), quietLogger());
  const seen = new Map<string, { code: string; at: number }[]>();
  const stopRoundRobin = new AbortController();
  const roundRobin = roundRobinPoll(
    sims.cashfree.baseUrl,
    played.map((p) => p.rrId),
    { perMinute: mix.spec.maxRpm, signal: stopRoundRobin.signal, answered: (id, answer, at) => noteAnswer(seen, id, answer, at) },
  );
  await driveJourneys(sims, mix, played, start);
  const lastChange = Math.max(start, ...mix.verifications.map((v) => start + (v.expiresAtMs ?? 0)), ...played.flatMap((p) => p.appliedAt));
  await delay(lastChange + JOURNEY.settleMs - Date.now());
  stopRoundRobin.abort();
  await job.stop(5_000);
  await roundRobin;
  const end = Date.now();
  await deps.cashfree.close();
  store.close();

  const observables = observablesOf(mix, played, start);
  const replies = repliesByThread(sims, board.channel);
  const prefix = prefixes(mix);
  const requestsBy = (p: string) =>
    sims.cashfree.requests.filter((r) => r.op === 'vkyc' && (r.query['verification_id'] ?? '').startsWith(`${p}_`)).map((r) => r.at);
  const simulated = (knows: IdealKnowledge) =>
    simulateIdeal(
      idealSubjects(
        mix,
        (i, step) => {
          const at = played[i]?.appliedAt[step];
          return at === undefined ? undefined : at - start;
        },
        knows,
      ),
      { slotMs: 60_100 / mix.spec.maxRpm, latencyMs: JOURNEY.cashfreeLatencyMs, endMs: end - start },
    );
  const ideal = simulated('groups');
  const stateIdeal = simulated('states');
  const idealCapture = (run: ReturnType<typeof simulateIdeal>) =>
    capture(observables, [], window, (o) => {
      const at = o.step === undefined ? run.expirySeenAtMs[o.verification] : run.seenAtMs[o.verification]?.[o.step];
      return at === undefined ? undefined : start + at;
    }, run.polls);
  const window = { start, end };
  return {
    key: mix.spec.key,
    kind: mix.spec.kind,
    title: mix.spec.title,
    seed: mix.spec.seed,
    maxRpm: mix.spec.maxRpm,
    verifications: mix.verifications.length,
    fresh: mix.verifications.filter((v) => mix.spec.groups[v.group]?.label === 'fresh').length,
    moving: mix.verifications.filter((v) => v.journey !== undefined).length,
    scheduledCalls: mix.verifications.filter((v) => v.journey?.scheduledCall === true).length,
    expiring: mix.verifications.filter((v) => v.expiresAtMs !== undefined).length,
    runMs: end - start,
    ticks: ticks.length,
    bot: capture(observables, requestsBy(prefix.bot), window, (o) => {
      const p = played[o.verification];
      const thread = replies.get(p?.parentTs ?? '') ?? [];
      if (o.step === undefined) return thread.find((r) => r.at >= o.at)?.at;
      return thread.find((r) => namesState(r.text, o.status, o.subStatus))?.at;
    }),
    roundRobin: capture(observables, requestsBy(prefix.rr), window, (o) => {
      const answers = seen.get(played[o.verification]?.rrId ?? '') ?? [];
      const code = o.step === undefined ? 'expired' : `${o.status}/${o.subStatus}`;
      return answers.find((a) => a.code === code)?.at;
    }),
    ideal: idealCapture(ideal),
    stateIdeal: idealCapture(stateIdeal),
  };
}

/** Applies every planned state to both copies at its time, noting when each was applied. */
async function driveJourneys(sims: Sims, mix: Mix, played: Played[], start: number): Promise<void> {
  const events = mix.verifications
    .flatMap((v, i) => (v.journey?.states ?? []).map((state) => ({ i, state })))
    .sort((a, b) => a.state.atMs - b.state.atMs);
  for (const { i, state } of events) {
    const wait = start + state.atMs - Date.now();
    if (wait > 0) await delay(wait);
    const p = played[i];
    if (p === undefined) continue;
    const meeting = state.meetingAtMs === undefined ? undefined : new Date(start + state.meetingAtMs).toISOString();
    for (const id of [p.botId, p.rrId]) {
      sims.cashfree.setState(id, { status: state.status, sub_status: state.subStatus, ...(meeting === undefined ? {} : { meeting_schedule: meeting }) });
    }
    p.appliedAt.push(Date.now());
  }
}

function observablesOf(mix: Mix, played: readonly Played[], start: number): Observable[] {
  return mix.verifications.flatMap((v, verification) => {
    const steps = (v.journey?.states ?? []).flatMap((s, step): Observable[] => {
      const at = played[verification]?.appliedAt[step];
      return at === undefined ? [] : [{ verification, step, status: s.status, subStatus: s.subStatus, at }];
    });
    const expiry: Observable[] =
      v.expiresAtMs === undefined ? [] : [{ verification, step: undefined, status: 'RECEIVED', subStatus: 'LINK_GENERATED', at: start + v.expiresAtMs }];
    return [...steps, ...expiry];
  });
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

/** The first two steps of a journey: the customer has just opened the link. */
function isOpening(o: Observable): boolean {
  return o.step !== undefined && o.step < 2;
}

/** Capture and latency for one poller; `shownAt` says when it showed an observable state, or undefined. */
function capture(
  observables: readonly Observable[],
  requestTimes: readonly number[],
  window: { start: number; end: number },
  shownAt: (o: Observable) => number | undefined,
  requests = requestTimes.length,
): CaptureResult {
  const all: number[] = [];
  const expiry: number[] = [];
  const scheduled: number[] = [];
  let openingCaptured = 0;
  for (const o of observables) {
    const shown = shownAt(o);
    if (shown === undefined) continue;
    if (isOpening(o)) openingCaptured += 1;
    all.push(shown - o.at);
    if (o.step === undefined) expiry.push(shown - o.at);
    if (o.subStatus === SCHEDULED_QUEUE_SUB_STATUS) scheduled.push(shown - o.at);
  }
  return {
    states: observables.length,
    captured: all.length,
    capture: observables.length === 0 ? Number.NaN : all.length / observables.length,
    ms: summarize(all),
    expiring: observables.filter((o) => o.step === undefined).length,
    expiryMs: summarize(expiry),
    scheduledStates: observables.filter((o) => o.subStatus === SCHEDULED_QUEUE_SUB_STATUS).length,
    scheduledMs: summarize(scheduled),
    openingStates: observables.filter(isOpening).length,
    openingCaptured,
    requests,
    maxPerMinute: requestTimes.length === 0 ? Number.NaN : slidingWindows(requestTimes, 60_000, window.start, window.end).maxInWindow,
  };
}
