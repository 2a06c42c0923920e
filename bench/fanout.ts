import { join } from 'node:path';
import { runTick } from '../src/jobs/poller.js';
import { openStore } from '../src/store/store.js';
import { pollerDeps } from './poller-deps.js';
import { benchId } from './seed.js';
import type { Sims } from './sims.js';
import { scratchDir } from './scratch.js';
import { seedTrackedThread } from './threads.js';

export const FANOUT = {
  verifications: 1_000,
  channels: 50,
  cashfreeLatencyMs: 20,
  concurrency: 16,
};

export interface FanoutResults {
  verifications: number;
  channels: number;
  cashfreeLatencyMs: number;
  concurrency: number;
  /** From the first tick's start until every change is a reply in its thread. */
  wallMs: number;
  ticks: number;
  replies: number;
  /** One request after another: N × latency. */
  sequentialBoundMs: number;
  /** `concurrency` requests always in flight and nothing else costing time: N × latency / concurrency. */
  idealMs: number;
  ratioToSequential: number;
  peakRssMb: number;
}

/**
 * Measure 10: 1,000 tracked verifications in 50 channels change at once
 * (Cashfree answering in 20 ms, no budget limit, POLL_CONCURRENCY=16); the bot's
 * poller (runTick on the real store and clients) runs ticks back to back until
 * every change is a reply in its thread. Beside it, the sequential bound
 * (N × latency) and the ideal (N × latency / concurrency).
 */
export async function measureFanout(sims: Sims, hooks: { beforeRun?: () => Promise<void> } = {}): Promise<FanoutResults> {
  sims.forget();
  const store = openStore(join(scratchDir('fanout'), 'kyc.sqlite'));
  const deps = pollerDeps(store, sims, { concurrency: FANOUT.concurrency });
  const now = Date.now();
  const parents = new Map<string, string>();
  for (let i = 0; i < FANOUT.verifications; i += 1) {
    const id = benchId('fo', i);
    const channel = `C0FAN${String(i % FANOUT.channels).padStart(3, '0')}`;
    sims.cashfree.addVerification({ verification_id: id });
    const state = {
      verificationId: id,
      referenceId: undefined,
      userId: undefined,
      status: 'RECEIVED',
      subStatus: 'LINK_GENERATED',
      linkExpiry: undefined,
      meetingSchedule: undefined,
      hasRecording: false,
    };
    parents.set(id, await seedTrackedThread(store, deps.slack, channel, state, { createdAt: now - 60_000, lastPolledAt: now - 30_000 }));
  }
  // Everything is due now and has moved.
  store.db.prepare('UPDATE verifications SET next_poll_at = ?').run(now);
  for (const id of parents.keys()) sims.cashfree.setState(id, { status: 'PRE_VIDEO_CALL', sub_status: 'AADHAAR_VERIFICATION_SUCCESS' });
  sims.forget();
  sims.cashfree.setLatency(FANOUT.cashfreeLatencyMs);

  await hooks.beforeRun?.();
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
  const started = Date.now();
  let ticks = 0;
  let replies = 0;
  try {
    for (; ticks < 200; ticks += 1) {
      await runTick(deps);
      replies = countReplies(sims);
      if (replies >= FANOUT.verifications) break;
    }
  } finally {
    clearInterval(sampler);
  }
  const wallMs = Date.now() - started;
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  await deps.cashfree.close();
  store.close();
  sims.cashfree.setLatency(0);
  sims.forget();
  const sequentialBoundMs = FANOUT.verifications * FANOUT.cashfreeLatencyMs;
  return {
    ...FANOUT,
    wallMs,
    ticks: ticks + 1,
    replies,
    sequentialBoundMs,
    idealMs: sequentialBoundMs / FANOUT.concurrency,
    ratioToSequential: wallMs / sequentialBoundMs,
    peakRssMb: peakRss / 1024 / 1024,
  };
}

function countReplies(sims: Sims): number {
  let n = 0;
  for (const call of sims.slack.calls) {
    if (call.method === 'chat.postMessage' && call.failed !== true && typeof call.params['thread_ts'] === 'string') n += 1;
  }
  return n;
}
