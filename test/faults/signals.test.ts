import { afterAll, describe, it, type ExpectStatic } from 'vitest';
import { logRecords, startWorld, trackInChild, until, vkycRequests, type BotProcess, type Launch, type World } from '../helpers/child-bot.js';
import { FAULT_JOURNEY } from '../helpers/journeys.js';

/**
 * SIGTERM and SIGINT stop the bot cleanly after the running tick; a second signal exits at once.
 * The same holds under `npm start`, whether the signal goes to npm alone (docker stop, Kubernetes)
 * or to its whole process group (Ctrl-C, systemd), where the bot may get it twice.
 */
const worlds: World[] = [];
afterAll(async () => {
  await Promise.all(worlds.map((world) => world.close()));
});

const messages = (bot: BotProcess) => logRecords(bot).map((r) => r['msg']);
const errors = (bot: BotProcess) => logRecords(bot).filter((r) => r['level'] === 'error');

/** Starts a bot, tracks a verification, and holds the next status check in Cashfree for `holdMs`. */
async function botWithHeldTick(world: World, id: string, holdMs: number, launch: Launch = 'node') {
  const bot = await world.startBot({}, launch);
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

describe('shutdown on signals through npm start', () => {
  /** A clean stop: the held tick's change posted, then stopped, no errors; npm exits 0 and leaves no bot behind. */
  async function expectDrained(expect: ExpectStatic, bot: BotProcess, world: World, parentTs: string) {
    expect(await bot.exited).toEqual({ code: 0, signal: null });
    expect(world.slack.thread('C0KYC', parentTs).map((m) => m.text)).toEqual([expect.stringContaining('AADHAAR_VERIFICATION_SUCCESS')]);
    const said = messages(bot);
    expect(said.filter((m) => m === 'shutting down')).toHaveLength(1);
    expect(said.indexOf('stopped')).toBeGreaterThan(said.lastIndexOf('poll tick'));
    expect(said).not.toContain('second signal: exiting now');
    expect(errors(bot)).toEqual([]);
    await expect(bot.healthz()).rejects.toThrow();
  }

  it.concurrent('SIGTERM to npm (docker stop, Kubernetes) reaches the bot: the in-flight tick posts its change, npm exits 0', async ({ expect }) => {
    const world = await startWorld();
    worlds.push(world);
    const { bot, parent } = await botWithHeldTick(world, 'vkyc_npm_sigterm', 1_500, 'npm start');
    bot.child.kill('SIGTERM');
    await expectDrained(expect, bot, world, parent.ts);
  });

  it.concurrent('SIGINT to npm drains and exits 0 the same way', async ({ expect }) => {
    const world = await startWorld();
    worlds.push(world);
    const { bot, parent } = await botWithHeldTick(world, 'vkyc_npm_sigint', 1_500, 'npm start');
    bot.child.kill('SIGINT');
    await expectDrained(expect, bot, world, parent.ts);
  });

  it.concurrent("SIGTERM to npm's process group (systemd's default stop; Ctrl-C alike) drains once: npm's forwarded copy is no second signal", async ({ expect }) => {
    const world = await startWorld();
    worlds.push(world);
    const { bot, parent } = await botWithHeldTick(world, 'vkyc_npm_group', 1_500, 'npm start');
    const group = bot.child.pid;
    if (group === undefined) throw new Error('npm start did not start');
    process.kill(-group, 'SIGTERM');
    await expectDrained(expect, bot, world, parent.ts);
  });
});
