import { afterAll, describe, it } from 'vitest';
import { logRecords, startWorld, trackInChild, until, vkycRequests, type BotProcess, type World } from '../helpers/child-bot.js';
import { FAULT_JOURNEY } from '../helpers/journeys.js';

/** SIGTERM and SIGINT stop the bot cleanly after the running tick; a second signal exits at once. */
const worlds: World[] = [];
afterAll(async () => {
  await Promise.all(worlds.map((world) => world.close()));
});

const messages = (bot: BotProcess) => logRecords(bot).map((r) => r['msg']);
const errors = (bot: BotProcess) => logRecords(bot).filter((r) => r['level'] === 'error');

/** Starts a bot, tracks a verification, and holds the next status check in Cashfree for `holdMs`. */
async function botWithHeldTick(world: World, id: string, holdMs: number) {
  const bot = await world.startBot();
  world.cashfree.addVerification({ verification_id: id, steps: FAULT_JOURNEY });
  const parent = await trackInChild(world, bot, id);
  world.cashfree.fail({ kind: 'delay', ms: holdMs }, { op: 'vkyc' });
  const requests = vkycRequests(world);
  world.cashfree.advance(id);
  await until('a held /vkyc request', () => vkycRequests(world) > requests);
  return { bot, parent };
}

describe('shutdown on signals', () => {
  it.concurrent('SIGTERM lets the in-flight tick finish and post its change, then exits 0', async ({ expect }) => {
    const world = await startWorld();
    worlds.push(world);
    const { bot, parent } = await botWithHeldTick(world, 'vkyc_sigterm', 1_500);
    bot.child.kill('SIGTERM');
    const exit = await bot.exited;
    expect(exit).toEqual({ code: 0, signal: null });
    expect(world.slack.thread('C0KYC', parent.ts).map((m) => m.text)).toEqual([expect.stringContaining('AADHAAR_VERIFICATION_SUCCESS')]);
    const said = messages(bot);
    expect(said).toContain('shutting down');
    expect(said.indexOf('stopped')).toBeGreaterThan(said.lastIndexOf('poll tick'));
    expect(errors(bot)).toEqual([]);
  });

  it.concurrent('SIGINT exits 0 the same way', async ({ expect }) => {
    const world = await startWorld();
    worlds.push(world);
    const bot = await world.startBot();
    await until('a poll tick', () => messages(bot).includes('poll tick'));
    bot.child.kill('SIGINT');
    expect(await bot.exited).toEqual({ code: 0, signal: null });
    expect(messages(bot)).toContain('stopped');
    expect(errors(bot)).toEqual([]);
  });

  it.concurrent('a second signal while the tick is held exits at once, without waiting for it', async ({ expect }) => {
    const world = await startWorld();
    worlds.push(world);
    const { bot, parent } = await botWithHeldTick(world, 'vkyc_second_signal', 20_000);
    bot.child.kill('SIGTERM');
    await bot.waitForLine((line) => line.includes('"msg":"shutting down"'));
    bot.child.kill('SIGINT');
    expect(await bot.exited).toEqual({ code: 1, signal: null });
    expect(messages(bot)).toContain('second signal: exiting now');
    expect(messages(bot)).not.toContain('stopped');
    expect(world.slack.thread('C0KYC', parent.ts)).toEqual([]);
  });
});
