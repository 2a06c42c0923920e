import { join } from 'node:path';
import { documentedFault } from '../sim/cashfree.js';
import { createRequestBudget } from '../src/tracking/budget.js';
import { runTick, type TickStats } from '../src/jobs/poller.js';
import { scheduleJob, tickMaxMsFor } from '../src/jobs/scheduler.js';
import { openStore } from '../src/store/store.js';
import { delay, until } from './pace.js';
import { pollerDeps, quietLogger } from './poller-deps.js';
import { seededRandom, uniformMs } from './prng.js';
import { scratchDir } from './scratch.js';
import { benchId } from './seed.js';
import { SECRETS, type Sims } from './sims.js';
import { namesState, repliesByThread, seedTrackedThread } from './threads.js';

export const OUTAGE = {
  verifications: 10,
  outageMs: 60_000,
  maxRpm: 600,
  schedule: '* * * * * *',
  concurrency: 4,
  cashfreeLatencyMs: 20,
  /** Ticks before the outage, so every verification has been polled and is settled. */
  warmupMs: 3_000,
  seed: 7,
};
const CHANNEL = 'C0OUTAGE';
/** Faults kept queued ahead of the bot's requests while Cashfree is "down". */
const QUEUED_AHEAD = 8;
/** Marks the bench's own requests that use up the faults left when Cashfree comes back. */
const DRAIN_HEADER = 'x-bench-drain';

export interface OutageResults {
  verifications: number;
  outageMs: number;
  tickMs: number;
  /** Status requests the bot sent while Cashfree answered 500. */
  requestsDuringOutage: number;
  requestsPerTick: number;
  /** From Cashfree's return to the last change made during the outage appearing in its thread. */
  recoveryMs: number;
  recoveryTicks: number;
  /** Bot requests that got a 500 after the outage ended (the fault queue is drained at once; should be 0). */
  faultedAfterEnd: number;
  breakerOpened: number;
}

/**
 * Measure 9: Cashfree's GET /vkyc answers 500 for 60 s while ten tracked
 * verifications change; the bot's poller runs on its one-second schedule.
 * The simulator serves faults from a counted queue, so the bench keeps a few
 * queued ahead of the bot's requests during the outage and uses up the rest
 * with its own requests the moment Cashfree "comes back".
 */
export async function measureOutage(sims: Sims): Promise<OutageResults> {
  sims.forget();
  sims.cashfree.setLatency(OUTAGE.cashfreeLatencyMs);
  const random = seededRandom(OUTAGE.seed);
  const store = openStore(join(scratchDir('outage'), 'kyc.sqlite'));
  const budget = createRequestBudget({ max: OUTAGE.maxRpm, db: store.db });
  const tickMs = 1_000;
  const deps = pollerDeps(store, sims, { concurrency: OUTAGE.concurrency, budget, tickMaxMs: tickMaxMsFor(OUTAGE.schedule) });
  const parents = new Map<string, string>();
  for (let i = 0; i < OUTAGE.verifications; i += 1) {
    const id = benchId('out', i);
    sims.cashfree.addVerification({ verification_id: id, steps: [{ status: 'RECEIVED', sub_status: 'LINK_GENERATED' }] });
    const state = { ...sims.cashfree.state(id) };
    const vkyc = {
      verificationId: id,
      referenceId: state.reference_id,
      userId: state.user_id,
      status: state.status,
      subStatus: state.sub_status,
      linkExpiry: state.link_expiry,
      meetingSchedule: undefined,
      hasRecording: false,
    };
    parents.set(id, await seedTrackedThread(store, deps.slack, CHANNEL, vkyc, { createdAt: Date.now() - 60_000, lastPolledAt: Date.now() - 1_000 }));
  }

  const ticks: TickStats[] = [];
  const job = scheduleJob('poll', OUTAGE.schedule, async (signal) => void ticks.push(await runTick(deps, signal)), quietLogger());
  await delay(OUTAGE.warmupMs);

  const fault = documentedFault('request_failed');
  const down = Date.now();
  let queued = 0;
  const consumed = () => sims.cashfree.requests.filter((r) => r.op === 'vkyc' && r.at >= down).length;
  const changes = [...parents.keys()].map((id) => ({ id, atMs: uniformMs(random, 5_000, OUTAGE.outageMs - 5_000) }));
  const changed = new Map<string, number>();
  while (Date.now() < down + OUTAGE.outageMs) {
    if (queued - consumed() < QUEUED_AHEAD) {
      sims.cashfree.fail(fault, { op: 'vkyc', times: QUEUED_AHEAD * 2 });
      queued += QUEUED_AHEAD * 2;
    }
    for (const c of changes) {
      if (!changed.has(c.id) && Date.now() >= down + c.atMs) {
        sims.cashfree.setState(c.id, { status: 'PRE_VIDEO_CALL', sub_status: 'AADHAAR_VERIFICATION_SUCCESS' });
        changed.set(c.id, Date.now());
      }
    }
    await delay(2);
  }
  // Cashfree is back: use up the queued faults at once with requests of our own.
  const left = queued - consumed();
  const drained = await Promise.all(Array.from({ length: Math.max(0, left) }, () => drainOne(sims.cashfree.baseUrl)));
  const back = Date.now();
  const requestsDuringOutage = sims.cashfree.requests.filter(
    (r) => r.op === 'vkyc' && r.at >= down && r.at < back && r.headers[DRAIN_HEADER] === undefined,
  ).length;

  const posted = (id: string) => {
    const thread = repliesByThread(sims, CHANNEL).get(parents.get(id) ?? '') ?? [];
    return thread.find((r) => namesState(r.text, 'PRE_VIDEO_CALL', 'AADHAAR_VERIFICATION_SUCCESS'))?.at;
  };
  await until('every change made during the outage in its thread', () => ([...parents.keys()].every((id) => posted(id) !== undefined) ? true : undefined), 60_000, 20);
  const lastPosted = Math.max(...[...parents.keys()].map((id) => posted(id) ?? Number.NaN));
  await job.stop(5_000);
  await deps.cashfree.close();
  store.close();
  sims.cashfree.setLatency(0);
  sims.forget();
  const recoveryMs = lastPosted - back;
  return {
    verifications: OUTAGE.verifications,
    outageMs: back - down,
    tickMs,
    requestsDuringOutage,
    requestsPerTick: requestsDuringOutage / ((back - down) / tickMs),
    recoveryMs,
    recoveryTicks: recoveryMs / tickMs,
    faultedAfterEnd: drained.filter((status) => status !== 500).length,
    breakerOpened: Math.max(0, ...ticks.map((t) => t.breakerOpened)),
  };
}

/** One request of the bench's own to take a queued fault; returns its HTTP status (500 if it took one). */
async function drainOne(baseUrl: string): Promise<number> {
  const res = await fetch(`${baseUrl}/vkyc?verification_id=drain`, {
    headers: { 'x-client-id': SECRETS.clientId, 'x-client-secret': SECRETS.clientSecret, 'x-api-version': '2024-12-01', [DRAIN_HEADER]: '1' },
  });
  await res.arrayBuffer();
  return res.status;
}
