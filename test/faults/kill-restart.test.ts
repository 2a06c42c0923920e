import { afterAll, describe, it } from 'vitest';
import { logRecords, settledThread, startWorld, trackInChild, until, vkycRequests, type BotProcess, type World } from '../helpers/child-bot.js';
import { FAULT_JOURNEY, FAULT_JOURNEY_REPLIES } from '../helpers/journeys.js';

/** SIGKILL in the middle of a poll tick, then a restart on the same database. */
const worlds: World[] = [];
afterAll(async () => {
  await Promise.all(worlds.map((world) => world.close()));
});

/** Advances one step and waits until its reply is in the thread (no Slack faults are pending here). */
async function advanceAndPost(world: World, id: string, parentTs: string): Promise<void> {
  const before = world.slack.thread('C0KYC', parentTs).length;
  world.cashfree.advance(id);
  await until(`reply ${before + 1} of ${id}`, () => world.slack.thread('C0KYC', parentTs).length > before);
}

async function kill(bot: BotProcess): Promise<void> {
  bot.child.kill('SIGKILL');
  const exit = await bot.exited;
  if (exit.signal !== 'SIGKILL') throw new Error(`expected death by SIGKILL, got ${JSON.stringify(exit)}`);
}

describe('SIGKILL and restart on the same database', () => {
  it.concurrent('killed while Cashfree holds a status answer: changes before and after are posted exactly once', async ({ expect }) => {
    const world = await startWorld();
    worlds.push(world);
    const first = await world.startBot();
    const id = 'vkyc_kill_cashfree';
    world.cashfree.addVerification({ verification_id: id, steps: FAULT_JOURNEY });
    const parent = await trackInChild(world, first, id);
    await advanceAndPost(world, id, parent.ts);

    // The next check is in flight (claimed in the table, Cashfree not yet answered) when the process dies.
    world.cashfree.fail({ kind: 'delay', ms: 3_000 }, { op: 'vkyc' });
    const requests = vkycRequests(world);
    world.cashfree.advance(id);
    await until('a held /vkyc request', () => vkycRequests(world) > requests);
    await kill(first);

    const second = await world.startBot();
    await until('the change seen after the restart', () => world.slack.thread('C0KYC', parent.ts).length >= 2);
    await advanceAndPost(world, id, parent.ts);
    await advanceAndPost(world, id, parent.ts);

    expect(await settledThread(world, second, 'C0KYC', parent.ts, FAULT_JOURNEY_REPLIES.length)).toEqual(FAULT_JOURNEY_REPLIES);
    expect(world.slack.thread('C0KYC', parent.ts)).toHaveLength(FAULT_JOURNEY_REPLIES.length);
    expect(await second.healthz()).toBe(200);
  });

  it.concurrent('killed while a change waits to be posted: it is posted once after the restart', async ({ expect }) => {
    const world = await startWorld();
    worlds.push(world);
    const first = await world.startBot();
    const id = 'vkyc_kill_pending';
    world.cashfree.addVerification({ verification_id: id, steps: FAULT_JOURNEY });
    const parent = await trackInChild(world, first, id);
    await advanceAndPost(world, id, parent.ts);

    // Slack asks for a 3 s pause; the change is in the table, not yet posted, when the process dies.
    world.slack.fail('chat.postMessage', { status: 429, retryAfter: 3 });
    world.cashfree.advance(id);
    await until('a post deferred by Retry-After', () =>
      logRecords(first).some((r) => r['msg'] === 'status change not posted; will retry' && r['slack_error'] === 'ratelimited'),
    );
    await kill(first);

    const second = await world.startBot();
    await until('the deferred change posted after the restart', () => world.slack.thread('C0KYC', parent.ts).length >= 2);
    await advanceAndPost(world, id, parent.ts);
    await advanceAndPost(world, id, parent.ts);

    expect(await settledThread(world, second, 'C0KYC', parent.ts, FAULT_JOURNEY_REPLIES.length)).toEqual(FAULT_JOURNEY_REPLIES);
    expect(world.slack.thread('C0KYC', parent.ts)).toHaveLength(FAULT_JOURNEY_REPLIES.length);
    expect(await second.healthz()).toBe(200);
  });
});
