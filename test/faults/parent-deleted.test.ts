import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, describe, it } from 'vitest';
import {
  FAULT_JOURNEY,
  logRecords,
  polls,
  startWorld,
  trackInChild,
  until,
  type World,
} from '../helpers/child-bot.js';

/** A tracked verification whose parent message is gone from Slack ends its tracking once, with a log line. */
const worlds: World[] = [];
afterAll(async () => {
  await Promise.all(worlds.map((world) => world.close()));
});

const GONE_LINE = 'parent message is gone from Slack; tracking ended';

/** Slack calls about one parent message and its thread. */
function callsAbout(world: World, parentTs: string): number {
  return world.slack.calls.filter((c) => c.params['ts'] === parentTs || c.params['thread_ts'] === parentTs).length;
}

describe('a parent message deleted in Slack', () => {
  it.concurrent('a reply answered thread_not_found ends the tracking; no endless retry', async ({ expect }) => {
    const world = await startWorld();
    worlds.push(world);
    const bot = await world.startBot();
    const id = 'vkyc_deleted_parent';
    world.cashfree.addVerification({ verification_id: id, steps: FAULT_JOURNEY });
    const parent = await trackInChild(world, bot, id);
    world.cashfree.advance(id);
    // The tick's log line comes after its parent update: deleting earlier would race that update.
    await until('the tick that posted the first reply and updated the parent', () =>
      logRecords(bot).find((r) => r['msg'] === 'poll tick' && Number(r['posted']) >= 1),
    );
    expect(world.slack.thread('C0KYC', parent.ts)).toHaveLength(1);

    world.slack.deleteMessage('C0KYC', parent.ts);
    world.cashfree.advance(id);
    await until('the tracking-ended log line', () =>
      logRecords(bot).find((r) => r['msg'] === GONE_LINE && r['verification_id'] === id && r['slack_error'] === 'thread_not_found'),
    );
    const calls = callsAbout(world, parent.ts);
    const checks = polls(world, id);
    world.cashfree.advance(id);
    await delay(3_500);
    expect(callsAbout(world, parent.ts)).toBe(calls);
    expect(polls(world, id)).toBe(checks);
    expect(logRecords(bot).filter((r) => r['msg'] === GONE_LINE)).toHaveLength(1);
    expect(await bot.healthz()).toBe(200);
  });

  it.concurrent('a parent update answered message_not_found ends the tracking; no endless retry', async ({ expect }) => {
    const world = await startWorld();
    worlds.push(world);
    const bot = await world.startBot();
    const id = 'vkyc_unupdatable_parent';
    world.cashfree.addVerification({ verification_id: id, steps: FAULT_JOURNEY });
    const parent = await trackInChild(world, bot, id);

    // The reply goes through, but every later edit of the parent says it is gone.
    world.slack.fail('chat.update', { error: 'message_not_found' }, 100);
    world.cashfree.advance(id);
    await until('the tracking-ended log line', () =>
      logRecords(bot).find((r) => r['msg'] === GONE_LINE && r['verification_id'] === id && r['slack_error'] === 'message_not_found'),
    );
    const updates = () => world.slack.calls.filter((c) => c.method === 'chat.update').length;
    const before = updates();
    const checks = polls(world, id);
    world.cashfree.advance(id);
    await delay(3_500);
    expect(updates()).toBe(before);
    expect(polls(world, id)).toBe(checks);
    expect(logRecords(bot).filter((r) => r['msg'] === GONE_LINE)).toHaveLength(1);
    expect(world.slack.thread('C0KYC', parent.ts)).toHaveLength(1);
    expect(await bot.healthz()).toBe(200);
  });
});
