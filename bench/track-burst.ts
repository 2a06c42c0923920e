import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sendSlashCommand } from '../sim/sign.js';
import { startBotProcess } from './bot-process.js';
import { delay } from './pace.js';
import { benchId, seedSim } from './seed.js';
import { botEnv, SECRETS, type Sims } from './sims.js';

const COMMANDS = 1_000;
const WINDOW_MS = 60_000;
const SAMPLE_EVERY_MS = 50;

export interface TrackBurstResults {
  commands: number;
  windowS: number;
  idleRssMb: number;
  peakRssMb: number;
  /** Commands acknowledged with HTTP 200. */
  acked: number;
  /** Commands whose follow-up said "Tracking" (the rest: the request budget was spent, as designed). */
  tracked: number;
}

/**
 * Issue 9's second memory case: `node dist/src/main.js` while 1,000 `/kyc track` commands arrive, evenly,
 * within a minute (signed HTTP, a fresh verification each), the default request budget deciding which
 * are tracked. Peak RSS is the process's VmHWM at the end.
 */
export async function measureTrackBurst(sims: Sims): Promise<TrackBurstResults> {
  sims.forget();
  sims.cashfree.setLatency(50);
  const ids = Array.from({ length: COMMANDS }, (_, i) => benchId('vkyc_burst', i));
  seedSim(sims.cashfree, ids);
  const dir = mkdtempSync(join(tmpdir(), 'kyc-bench-burst-'));
  const bot = await startBotProcess(botEnv(sims, join(dir, 'kyc.sqlite')), dir);
  try {
    const idleRssMb = bot.memory().rssMb;
    const started = Date.now();
    let acked = 0;
    const sends: Promise<void>[] = [];
    for (let i = 0; i < COMMANDS; i += 1) {
      const due = started + (i * WINDOW_MS) / COMMANDS;
      while (Date.now() < due) await delay(Math.min(SAMPLE_EVERY_MS, due - Date.now()));
      const responseUrl = sims.slack.responseUrl(`burst-${i}`);
      sends.push(
        sendSlashCommand(bot.eventsUrl, SECRETS.signingSecret, { text: `track ${ids[i] ?? ''}`, responseUrl, channelId: 'C0BURST' }).then(
          (answer) => void (acked += answer.status === 200 ? 1 : 0),
        ),
      );
    }
    await Promise.all(sends);
    // Commands still waiting for the budget answer within a few seconds.
    await delay(6_000);
    const tracked = sims.slack.responses.filter((r) => String(r.body['text'] ?? '').includes('Tracking')).length;
    return { commands: COMMANDS, windowS: WINDOW_MS / 1000, idleRssMb, peakRssMb: bot.memory().hwmMb, acked, tracked };
  } finally {
    await bot.stop();
    sims.forget();
  }
}
