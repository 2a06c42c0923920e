import { dirname } from 'node:path';
import { startBotProcess } from './bot-process.js';
import { delay } from './pace.js';
import { seedSim } from './seed.js';
import { botEnv, type Sims } from './sims.js';

/** The pass is cut here if it has not finished: memory is flat by then (claims are 100 at a time). */
const MAX_PASS_MS = 45_000;
const SAMPLE_EVERY_MS = 50;

export interface MemoryResults {
  tracked: number;
  concurrency: number;
  /** RSS once the bot is ready, before its first tick. */
  idleRssMb: number;
  /** VmHWM of the bot process at the end: the peak over its whole life. */
  peakRssMb: number;
  /** Largest VmRSS sample during the pass. */
  maxSampledRssMb: number;
  polled: number;
  passMs: number;
  /** The pass finished (false: cut after MAX_PASS_MS, still taking work). */
  passFinished: boolean;
}

/**
 * Measure 7: the bot run as `npm start` runs it, with 100,000 tracked verifications
 * polled once each (budget high, Cashfree answering at once, a tick every second),
 * RSS sampled from /proc while it runs.
 */
export async function measureMemory(sims: Sims, seededDb: string, ids: readonly string[]): Promise<MemoryResults> {
  sims.forget();
  sims.cashfree.setLatency(0);
  seedSim(sims.cashfree, ids);
  const concurrency = 16;
  const env = botEnv(sims, seededDb, {
    POLL_SCHEDULE: '*/1 * * * * *',
    POLL_CONCURRENCY: String(concurrency),
    CASHFREE_MAX_RPM: '1000000000',
  });
  const bot = await startBotProcess(env, dirname(seededDb));
  try {
    const idleRssMb = bot.memory().rssMb;
    let maxSampledRssMb = idleRssMb;
    const started = Date.now();
    let firstRequest: number | undefined;
    let lastRequest = started;
    let requests = 0;
    // A tick takes work for most of one second; the pass is over when every verification was asked once.
    while (requests < ids.length && Date.now() - started < MAX_PASS_MS) {
      await delay(SAMPLE_EVERY_MS);
      maxSampledRssMb = Math.max(maxSampledRssMb, bot.memory().rssMb);
      firstRequest ??= sims.cashfree.requests[0]?.at;
      lastRequest = sims.cashfree.requests.at(-1)?.at ?? lastRequest;
      // Count and drop what the simulator recorded: 100,000 requests would bloat this process, not the bot.
      requests += sims.cashfree.requests.length;
      sims.cashfree.requests.length = 0;
    }
    const peakRssMb = bot.memory().hwmMb;
    const passMs = lastRequest - (firstRequest ?? started);
    return { tracked: ids.length, concurrency, idleRssMb, peakRssMb, maxSampledRssMb, polled: requests, passMs, passFinished: requests >= ids.length };
  } finally {
    await bot.stop();
    sims.forget();
  }
}
