import { join } from 'node:path';
import { WebClient } from '@slack/web-api';
import { openStore } from '../src/store/store.js';
import { startBotProcess } from './bot-process.js';
import { until } from './pace.js';
import { benchId, RECEIVED } from './seed.js';
import { botEnv, SECRETS, type Sims } from './sims.js';
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
  /** From the moment every verification changed until every change is a reply in its thread. */
  wallMs: number;
  replies: number;
  /** One request after another: N × latency. */
  sequentialBoundMs: number;
  /** `concurrency` requests always in flight and nothing else costing time: N × latency / concurrency. */
  idealMs: number;
  ratioToSequential: number;
  /** The bot process's resident set high-water mark (VmHWM), over the whole run. */
  peakRssMb: number;
}

/**
 * Measure 10: 1,000 tracked verifications in 50 channels change at once
 * (Cashfree answering in 20 ms, no budget limit, POLL_CONCURRENCY=16). The bot
 * runs as `npm start` runs it, in its own process, already polling the board
 * (every verification seen once, as a bot that has run for a while); then every
 * verification changes in the simulator, and the clock runs until every change
 * is a reply in its thread. Beside it, the sequential bound (N × latency) and
 * the ideal (N × latency / concurrency).
 */
export async function measureFanout(sims: Sims): Promise<FanoutResults> {
  sims.forget();
  const dir = scratchDir('fanout');
  const databasePath = join(dir, 'kyc.sqlite');
  const store = openStore(databasePath);
  const slack = new WebClient(SECRETS.botToken, { slackApiUrl: sims.slack.apiUrl });
  const now = Date.now();
  const ids: string[] = [];
  for (let i = 0; i < FANOUT.verifications; i += 1) {
    const id = benchId('fo', i);
    ids.push(id);
    sims.cashfree.addVerification({ verification_id: id });
    const state = { ...RECEIVED, verificationId: id };
    await seedTrackedThread(store, slack, `C0FAN${String(i % FANOUT.channels).padStart(3, '0')}`, state, { createdAt: now - 60_000, lastPolledAt: now - 30_000 });
  }
  store.close();
  sims.cashfree.setLatency(FANOUT.cashfreeLatencyMs);
  sims.forget();
  const env = botEnv(sims, databasePath, {
    POLL_CONCURRENCY: String(FANOUT.concurrency),
    CASHFREE_MAX_RPM: '100000000',
    POLL_SCHEDULE: '* * * * * *',
    // The bench waits for `bot ready`, an info line.
    LOG_LEVEL: 'info',
  });
  const bot = await startBotProcess(env, dir);
  try {
    // Running: every verification polled at least once.
    await until('the bot to poll the whole board once', () => (statusRequests(sims) >= FANOUT.verifications ? true : undefined), 60_000, 20);
    sims.forget();
    const changedAt = Date.now();
    for (const id of ids) sims.cashfree.setState(id, { status: 'PRE_VIDEO_CALL', sub_status: 'AADHAAR_VERIFICATION_SUCCESS' });
    await until('every change a reply', () => (replies(sims).length >= FANOUT.verifications ? true : undefined), 120_000, 10);
    const posted = replies(sims);
    const wallMs = Math.max(...posted) - changedAt;
    const sequentialBoundMs = FANOUT.verifications * FANOUT.cashfreeLatencyMs;
    return {
      ...FANOUT,
      wallMs,
      replies: posted.length,
      sequentialBoundMs,
      idealMs: sequentialBoundMs / FANOUT.concurrency,
      ratioToSequential: wallMs / sequentialBoundMs,
      peakRssMb: bot.memory().hwmMb,
    };
  } finally {
    await bot.stop();
    sims.cashfree.setLatency(0);
    sims.forget();
  }
}

function statusRequests(sims: Sims): number {
  return sims.cashfree.requests.filter((r) => r.op === 'vkyc').length;
}

/** When each threaded reply reached the Slack simulator. */
function replies(sims: Sims): number[] {
  return sims.slack.calls
    .filter((call) => call.method === 'chat.postMessage' && call.failed !== true && typeof call.params['thread_ts'] === 'string')
    .map((call) => call.at);
}
