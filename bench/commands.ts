import { join } from 'node:path';
import { staticLinkFor } from '../sim/cashfree.js';
import { sendSlashCommand } from '../sim/sign.js';
import { renderQr } from '../src/qr.js';
import { startBotProcess, type BotProcess } from './bot-process.js';
import { atSteadyPace, until } from './pace.js';
import { botEnv, SECRETS, type Sims } from './sims.js';
import { slidingWindows, summarize, timeAsync, type Summary } from './stats.js';
import { scratchDir } from './scratch.js';

export const ACK_COMMANDS = 240;
export const ACK_PACE_PER_SECOND = 20;
const LINK_RUNS = 50;
const LINK_CASHFREE_LATENCY_MS = 100;
const LINK_SLACK_LATENCY_MS = 20;
const QR_RUNS = 200;
const SLOW_CASHFREE_MS = 5_000;

export interface AckResult {
  cashfreeLatencyMs: number;
  pacePerSecond: number;
  /** Every ack was HTTP 200. */
  allOk: boolean;
  ms: Summary;
  /** Most Cashfree requests the simulator held open at once (its latency bounds their lifetime). */
  maxCashfreeInFlight: number;
}

export interface CommandResults {
  ackFast: AckResult;
  ackSlowCashfree: AckResult;
  linkOverhead: { runs: number; cashfreeLatencyMs: number; slackLatencyMs: number; subtractedMs: Summary; overheadMs: Summary; endToEndMs: Summary };
  qrPng: { runs: number; bytes: number; ms: Summary };
}

/** Measures 1 and 2: `/kyc link` against a bot process, and one QR PNG in this process. */
export async function measureCommands(sims: Sims): Promise<CommandResults> {
  const dir = scratchDir('cmd');
  const bot = await startBotProcess(botEnv(sims, join(dir, 'kyc.sqlite')), dir);
  try {
    setLatencies(sims, 0, 0);
    for (let i = 0; i < 10; i += 1) await linkRoundTrip(sims, bot); // warm-up: JIT, connections, SQLite cache
    const linkOverhead = await measureLinkOverhead(sims, bot);
    setLatencies(sims, 0, 0);
    const ackFast = await measureAcks(sims, bot, 0);
    await until('the last QR uploads', () => (sims.slack.calls.filter(isUploadDone).length >= ACK_COMMANDS ? true : undefined));
    const ackSlowCashfree = await measureAcks(sims, bot, SLOW_CASHFREE_MS);
    return { ackFast, ackSlowCashfree, linkOverhead, qrPng: await measureQr() };
  } finally {
    setLatencies(sims, 0, 0);
    await bot.stop();
    sims.forget();
  }
}

function setLatencies(sims: Sims, cashfreeMs: number, slackMs: number): void {
  sims.cashfree.setLatency(cashfreeMs);
  sims.slack.setLatency(slackMs);
}

function isUploadDone(call: { method: string; failed?: true }): boolean {
  return call.method === 'files.completeUploadExternal' && call.failed === undefined;
}

function linkCommand(sims: Sims, bot: BotProcess) {
  return sendSlashCommand(bot.eventsUrl, SECRETS.signingSecret, { text: 'link', responseUrl: sims.slack.responseUrl() });
}

/** One `/kyc link`, waiting for its QR upload and its closing ephemeral reply; returns when the upload completed. */
async function linkRoundTrip(sims: Sims, bot: BotProcess): Promise<{ started: number; uploaded: number }> {
  sims.forget();
  const started = Date.now();
  const answer = await linkCommand(sims, bot);
  if (answer.status !== 200) throw new Error(`bench: /kyc link answered HTTP ${answer.status}`);
  const done = await until('files.completeUploadExternal', () => sims.slack.calls.find(isUploadDone));
  await until('the closing reply', () => (sims.slack.responses.length > 0 ? true : undefined));
  return { started, uploaded: done.at };
}

/**
 * Command → QR upload complete, one command at a time, minus the simulated
 * latency of every simulator call on that path (counted from what the simulators
 * saw, so a change in the client's call pattern is accounted for, not assumed).
 */
async function measureLinkOverhead(sims: Sims, bot: BotProcess): Promise<CommandResults['linkOverhead']> {
  setLatencies(sims, LINK_CASHFREE_LATENCY_MS, LINK_SLACK_LATENCY_MS);
  const overhead: number[] = [];
  const endToEnd: number[] = [];
  const subtracted: number[] = [];
  for (let i = 0; i < LINK_RUNS; i += 1) {
    const { started, uploaded } = await linkRoundTrip(sims, bot);
    const before = (at: number) => at >= started && at < uploaded;
    const slackCalls =
      sims.slack.calls.filter((c) => before(c.at)).length +
      sims.slack.uploads.filter((u) => before(u.at)).length +
      sims.slack.responses.filter((r) => before(r.at)).length;
    const cashfreeCalls = sims.cashfree.requests.filter((r) => before(r.at)).length;
    const simulated = cashfreeCalls * LINK_CASHFREE_LATENCY_MS + slackCalls * LINK_SLACK_LATENCY_MS;
    endToEnd.push(uploaded - started);
    subtracted.push(simulated);
    overhead.push(uploaded - started - simulated);
  }
  return {
    runs: LINK_RUNS,
    cashfreeLatencyMs: LINK_CASHFREE_LATENCY_MS,
    slackLatencyMs: LINK_SLACK_LATENCY_MS,
    subtractedMs: summarize(subtracted),
    overheadMs: summarize(overhead),
    endToEndMs: summarize(endToEnd),
  };
}

/** Signed `/kyc link` requests at a steady pace; each sample is request sent → HTTP answer read. */
async function measureAcks(sims: Sims, bot: BotProcess, cashfreeLatencyMs: number): Promise<AckResult> {
  sims.forget();
  sims.cashfree.setLatency(cashfreeLatencyMs);
  const started = Date.now();
  const answers = await atSteadyPace(ACK_COMMANDS, ACK_PACE_PER_SECOND, () => linkCommand(sims, bot));
  const arrivals = sims.cashfree.requests.map((r) => r.at);
  const inFlight = cashfreeLatencyMs > 0 ? slidingWindows(arrivals, cashfreeLatencyMs, started, Date.now()).maxInWindow : 0;
  return {
    cashfreeLatencyMs,
    pacePerSecond: ACK_PACE_PER_SECOND,
    allOk: answers.every((a) => a.status === 200),
    ms: summarize(answers.map((a) => a.ms)),
    maxCashfreeInFlight: inFlight,
  };
}

/** src/qr.ts renderQr on the link the simulator hands out, in this process. */
async function measureQr(): Promise<CommandResults['qrPng']> {
  const link = staticLinkFor('Aadhaar_verification');
  for (let i = 0; i < 20; i += 1) await renderQr(link);
  const samples: number[] = [];
  for (let i = 0; i < QR_RUNS; i += 1) samples.push(await timeAsync(() => renderQr(link)));
  return { runs: QR_RUNS, bytes: (await renderQr(link)).length, ms: summarize(samples) };
}
