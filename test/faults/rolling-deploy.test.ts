import { afterAll, describe, it } from 'vitest';
import { STANDARD_JOURNEY } from '../../sim/cashfree.js';
import { logRecords, settledThread, startWorld, trackInChild, until, type BotProcess, type World } from '../helpers/child-bot.js';
import { stepCodes } from '../helpers/journeys.js';

/**
 * A rolling deploy: old and new processes share one DATABASE_PATH. Both answer commands; one polls
 * and posts (the lease holder); when it is killed, the other takes over and nothing is lost or doubled.
 */
let world: World;
afterAll(async () => {
  await world.close();
});

const TOOK_LEASE = 'this process now polls Cashfree and posts changes';
const holdsLease = (bot: BotProcess) => logRecords(bot).some((r) => r['msg'] === TOOK_LEASE);
const ticked = (bot: BotProcess) => logRecords(bot).some((r) => r['msg'] === 'poll tick');

describe('two processes on one database', () => {
  it('both answer commands, one polls; after kill -9 of the poller the other takes over and every change is posted exactly once', async ({
    expect,
  }) => {
    world = await startWorld();
    const old = await world.startBot();
    const next = await world.startBot();
    expect(holdsLease(old)).toBe(true);
    expect(holdsLease(next)).toBe(false);

    // Each process answers /kyc track.
    const ids = ['vkyc_deploy_a', 'vkyc_deploy_b', 'vkyc_deploy_c'];
    for (const id of ids) world.cashfree.addVerification({ verification_id: id, steps: STANDARD_JOURNEY });
    const parents = [await trackInChild(world, old, ids[0] ?? ''), await trackInChild(world, next, ids[1] ?? ''), await trackInChild(world, next, ids[2] ?? '')];

    // A stream of changes, each step seen before the next; the old process posts them, the new one only waits.
    const replies = () => parents.map((p) => world.slack.thread('C0KYC', p.ts).length);
    const step = async (what: string) => {
      const before = replies();
      ids.forEach((id) => world.cashfree.advance(id));
      await until(what, () => replies().every((count, i) => count > (before[i] ?? 0)), 30_000);
    };
    await step('the first changes posted');
    await step('the second changes posted');
    expect(ticked(next)).toBe(false);

    // Killed mid-stream: a change has just been made and may or may not have been seen.
    ids.forEach((id) => world.cashfree.advance(id));
    old.child.kill('SIGKILL');
    await old.exited;
    await until('the new process taking the lease', () => holdsLease(next), 20_000);
    await until('the change made at the kill posted', () => replies().every((count) => count >= 3), 30_000);
    for (let n = 4; n < STANDARD_JOURNEY.length; n += 1) await step(`change ${n} posted`);

    const expected = stepCodes(STANDARD_JOURNEY.slice(1));
    for (const parent of parents) {
      expect(await settledThread(world, next, 'C0KYC', parent.ts, expected.length)).toEqual(expected);
    }
    expect(await next.healthz()).toBe(200);
  }, 90_000);
});
