import { join } from 'node:path';
import { sendSlashCommand } from '../sim/sign.js';
import type { SlackCall } from '../sim/slack.js';
import { startBotProcess, type BotProcess } from './bot-process.js';
import { delay, until } from './pace.js';
import { botEnv, SECRETS, type Sims } from './sims.js';
import { summarize, type Summary } from './stats.js';
import { scratchDir } from './scratch.js';

/** One channel per verification: Slack takes about one post a second per channel, and the bot paces itself to that. */
const channelOf = (verificationId: string) => `C0${verificationId.toUpperCase()}`;
const VERIFICATIONS = 16;
const TARGET_CHANGES = 120;
const MAX_RUN_MS = 45_000;
const CASHFREE_LATENCY_MS = 50;
/** A verification changes again 1.2–2.8 s after its last change was posted: random phase against the 1 s ticks. */
const GAP_MS = { min: 1_200, max: 2_800 };
/** Sub-statuses a verification cycles through; none is terminal, so tracking never ends mid-run. */
const SUB_STATUSES = ['USER_IP_VERIFICATION_SUCCESSFUL', 'USER_LOCATION_VERIFICATION_SUCCESS', 'USER_DEVICE_CHECK_SUCCESS', 'USER_QUEUED'];

export interface ChangeLatencyResults {
  schedule: string;
  verifications: number;
  cashfreeLatencyMs: number;
  changes: number;
  /** Replies whose text did not name the change they answered (should be 0). */
  mismatched: number;
  ms: Summary;
}

/**
 * Measure 5: a bot process polling every second; the simulator's status changes at
 * random times, and each sample runs from the change to the threaded
 * chat.postMessage reaching the Slack simulator.
 */
export async function measureChangeLatency(sims: Sims): Promise<ChangeLatencyResults> {
  const dir = scratchDir('change');
  sims.forget();
  sims.cashfree.setLatency(CASHFREE_LATENCY_MS);
  // The budget must not bind: 16 verifications polled every second are 960 requests a minute.
  const env = botEnv(sims, join(dir, 'kyc.sqlite'), { POLL_SCHEDULE: '*/1 * * * * *', CASHFREE_MAX_RPM: '100000' });
  const bot = await startBotProcess(env, dir);
  try {
    const parents: string[] = [];
    for (let i = 0; i < VERIFICATIONS; i += 1) parents.push(await trackNew(sims, bot, `chg_${i}`));
    const samples: number[] = [];
    let mismatched = 0;
    const deadline = Date.now() + MAX_RUN_MS;
    await Promise.all(
      parents.map(async (parentTs, i) => {
        let seen = repliesIn(sims, parentTs).length;
        for (let step = 0; samples.length < TARGET_CHANGES && Date.now() < deadline; step += 1) {
          await delay(GAP_MS.min + Math.random() * (GAP_MS.max - GAP_MS.min));
          const subStatus = SUB_STATUSES[step % SUB_STATUSES.length] ?? 'USER_QUEUED';
          sims.cashfree.setState(`chg_${i}`, { status: 'PRE_VIDEO_CALL', sub_status: subStatus });
          const changedAt = Date.now();
          const reply = await until(`a reply in thread ${parentTs}`, () => repliesIn(sims, parentTs)[seen], 10_000, 5);
          seen += 1;
          samples.push(reply.at - changedAt);
          if (!JSON.stringify(reply.params).includes(subStatus)) mismatched += 1;
        }
      }),
    );
    return {
      schedule: '*/1 * * * * *',
      verifications: VERIFICATIONS,
      cashfreeLatencyMs: CASHFREE_LATENCY_MS,
      changes: samples.length,
      mismatched,
      ms: summarize(samples),
    };
  } finally {
    await bot.stop();
    sims.cashfree.setLatency(0);
    sims.forget();
  }
}

function repliesIn(sims: Sims, parentTs: string): SlackCall[] {
  return sims.slack.calls.filter((c) => c.method === 'chat.postMessage' && c.params['thread_ts'] === parentTs && c.failed === undefined);
}

/** `/kyc track` through the bot, as an agent would; returns the parent message's ts. */
async function trackNew(sims: Sims, bot: BotProcess, verificationId: string): Promise<string> {
  sims.cashfree.addVerification({ verification_id: verificationId });
  const responseUrl = sims.slack.responseUrl();
  const answer = await sendSlashCommand(bot.eventsUrl, SECRETS.signingSecret, { text: `track ${verificationId}`, responseUrl, channelId: channelOf(verificationId) });
  if (answer.status !== 200) throw new Error(`bench: /kyc track answered HTTP ${answer.status}`);
  await until(`tracking ${verificationId}`, () => sims.slack.responses.find((r) => r.url === responseUrl));
  const parent = sims.slack.messages(channelOf(verificationId)).find((m) => m.thread_ts === undefined && m.text.includes(verificationId));
  if (parent === undefined) throw new Error(`bench: no parent message for ${verificationId}`);
  return parent.ts;
}
