import { afterAll, describe, it } from 'vitest';
import { benchId, seedSim, seedTracked, SEED_CHANNEL } from '../../bench/seed.js';
import { sendSlashCommand } from '../../sim/sign.js';
import { openStore } from '../../src/store/store.js';
import { CHILD_TIMINGS, startWorld, until, type BotProcess, type World } from '../helpers/child-bot.js';

/**
 * CASHFREE_MAX_RPM is a promise to the merchant's whole Cashfree account: it holds across crashes,
 * restarts and two processes on one database, counted where it matters, at Cashfree's door.
 *
 * The budget's window is 20 s here instead of a minute (KYC_TEST_TIMINGS), so that a full window
 * passes without waiting two real minutes: CASHFREE_MAX_RPM then counts requests per 20 s.
 */
const MAX_RPM = 30;
const WINDOW_MS = 20_000;
const BUDGET_ENV = {
  CASHFREE_MAX_RPM: String(MAX_RPM),
  KYC_TEST_TIMINGS: JSON.stringify({ ...CHILD_TIMINGS, budgetWindowMs: WINDOW_MS }),
};
const worlds: World[] = [];
afterAll(async () => {
  await Promise.all(worlds.map((world) => world.close()));
});

/** The most /vkyc requests the Cashfree simulator received in any window. */
function busiestWindow(world: World): number {
  const times = world.cashfree.requests.filter((r) => r.op === 'vkyc').map((r) => r.at);
  let most = 0;
  let start = 0;
  for (let end = 0; end < times.length; end += 1) {
    while ((times[end] ?? 0) - (times[start] ?? 0) >= WINDOW_MS) start += 1;
    most = Math.max(most, end - start + 1);
  }
  return most;
}

/** Many verifications tracked and moving, so a bot would spend far more than the budget if it could. */
async function busyWorld(count: number): Promise<World> {
  const world = await startWorld();
  worlds.push(world);
  const ids = Array.from({ length: count }, (_, i) => benchId('vkyc_budget', i));
  const store = openStore(world.databasePath);
  seedTracked(store, ids, Date.now());
  store.close();
  seedSim(world.cashfree, ids);
  return world;
}


describe(`the request budget (CASHFREE_MAX_RPM=${MAX_RPM}) is kept in SQLite`, () => {
  it.concurrent('crash-restarts within one window, with agents asking after each, never put more than the budget in any window', async ({ expect }) => {
    const world = await busyWorld(60);
    for (let crash = 0; crash < 4; crash += 1) {
      const bot = await world.startBot(BUDGET_ENV);
      // Agents ask right after each start, when a budget kept in memory would be fresh and full.
      await Promise.all(Array.from({ length: 6 }, (_, i) => askStatusAndWait(world, bot, benchId('vkyc_budget', crash * 6 + i))));
      bot.child.kill('SIGKILL');
      await bot.exited;
    }
    const last = await world.startBot(BUDGET_ENV);
    const started = world.cashfree.requests.find((r) => r.op === 'vkyc')?.at ?? Date.now();
    // Keep the last one running until a full window has passed since the first request.
    await until('a full window since the first request', () => Date.now() - started > WINDOW_MS + 2_000, WINDOW_MS + 20_000);
    expect(await last.healthz()).toBe(200);
    expect(busiestWindow(world)).toBeLessThanOrEqual(MAX_RPM);
    expect(busiestWindow(world)).toBeGreaterThan(MAX_RPM / 2);
  }, 60_000);

  it.concurrent('two processes on one database share it: polls from one and commands to the other stay within it', async ({ expect }) => {
    const world = await busyWorld(60);
    const first = await world.startBot(BUDGET_ENV);
    const second = await world.startBot(BUDGET_ENV);
    const started = Date.now();
    // Agents keep asking the second process while the first polls, about 30 times a window.
    let asked = 0;
    while (Date.now() - started < WINDOW_MS + 2_000) {
      await askStatus(world, second, benchId('vkyc_budget', asked % 60));
      asked += 1;
      await new Promise((resolve) => setTimeout(resolve, WINDOW_MS / 30));
    }
    expect(await first.healthz()).toBe(200);
    expect(await second.healthz()).toBe(200);
    expect(busiestWindow(world)).toBeLessThanOrEqual(MAX_RPM);
    expect(busiestWindow(world)).toBeGreaterThan(MAX_RPM / 2);
  }, 60_000);
});

/** Sends `/kyc status` and waits for the agent's answer (the status, or "budget used up, try again"). */
async function askStatusAndWait(world: World, bot: BotProcess, id: string): Promise<void> {
  const responseUrl = world.slack.responseUrl();
  await sendSlashCommand(bot.eventsUrl, world.secrets.signingSecret, { text: `status ${id}`, responseUrl, channelId: SEED_CHANNEL });
  await until(`the answer to /kyc status ${id}`, () => world.slack.responses.some((r) => r.url === responseUrl), 20_000);
}

async function askStatus(world: World, bot: BotProcess, id: string): Promise<void> {
  const responseUrl = world.slack.responseUrl();
  await sendSlashCommand(bot.eventsUrl, world.secrets.signingSecret, { text: `status ${id}`, responseUrl, channelId: SEED_CHANNEL });
}
