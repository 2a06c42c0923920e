import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settingsSubmission } from '../../sim/settings-form.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { track } from '../helpers/tracking.js';

const MIN = 60_000;
let clock = Date.now();
let h: Harness;
let n = 0;
const freshId = () => `alert_${++n}_${Date.now() % 100000}`;

beforeAll(async () => {
  // A jump of the clock expires the poll lease until the next renewal: renew often, so a tick soon runs again.
  h = await startHarness({ now: () => clock, env: { KYC_STUCK_AFTER_SECONDS: '1800' }, timings: { leaseRenewMs: 50 } });
});
afterAll(async () => {
  await h.close();
});

/** Moves the bot's clock on (the request budget refills with it). */
const step = (ms: number) => {
  clock += ms;
};

/**
 * Runs `work` once the bot holds the poll lease again: after the clock jumps, the lease is judged
 * expired until the next heartbeat renews it (every 50 ms here), and only the holder ticks and posts.
 */
async function whenHeld<T>(work: () => Promise<T | undefined>): Promise<T> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const result = await work();
    if (result !== undefined) return result;
    await delay(25);
  }
  throw new Error('the bot never held the poll lease');
}
/** A tick a few seconds later, so the request budget (which refills with the fake clock) has room for every due poll. */
const tick = () => {
  step(5_000);
  return whenHeld(() => h.bot.tick());
};

const notes = (channel: string, parentTs: string, word: string) => h.slack.thread(channel, parentTs).filter((m) => m.text.includes(word));

describe('stuck and expiry notes', () => {
  it('notes a verification stuck in one waiting state once per wait, mentioning who tracked it', async () => {
    const id = freshId();
    h.cashfree.addVerification({ verification_id: id, link_expiry: new Date(clock + 7 * 24 * 60 * MIN).toISOString() });
    step(2_000);
    const parent = await track(h, id);
    h.cashfree.setState(id, { status: 'PRE_VIDEO_CALL', sub_status: 'USER_QUEUED' });
    step(2_000);
    await tick();
    expect(notes('C0KYC', parent.ts, 'waited')).toEqual([]);

    step(29 * MIN);
    await tick();
    expect(notes('C0KYC', parent.ts, 'waited')).toEqual([]);
    step(2 * MIN);
    await tick();
    const [note] = notes('C0KYC', parent.ts, 'waited');
    expect(note?.text).toContain('<@U0AGENT>');
    expect(note?.text).toContain('waited 31 min');
    expect(note?.text).toContain('waiting for an agent');

    step(10 * MIN);
    await tick();
    step(60 * MIN);
    await tick();
    expect(notes('C0KYC', parent.ts, 'waited')).toHaveLength(1);

    // A new wait gets its own note, once.
    h.cashfree.setState(id, { status: 'PRE_VIDEO_CALL', sub_status: 'NO_AGENT_FOUND' });
    step(2_000);
    await tick();
    expect(notes('C0KYC', parent.ts, 'waited')).toHaveLength(1);
    step(31 * MIN);
    await tick();
    step(31 * MIN);
    await tick();
    expect(notes('C0KYC', parent.ts, 'waited')).toHaveLength(2);
  });

  it('notes once that an unused link is about to expire', async () => {
    const id = freshId();
    h.cashfree.addVerification({ verification_id: id, link_expiry: new Date(clock + 90 * MIN).toISOString() });
    step(2_000);
    const parent = await track(h, id);
    step(2_000);
    await tick();
    expect(notes('C0KYC', parent.ts, 'expires')).toEqual([]);
    step(35 * MIN);
    await tick();
    step(10 * MIN);
    await tick();
    const expiring = notes('C0KYC', parent.ts, 'expires');
    expect(expiring).toHaveLength(1);
    expect(expiring[0]?.text).toContain('<@U0AGENT>');
    expect(expiring[0]?.text).toMatch(/expires in about 5\d min/);
  });
});

describe('daily digest', () => {
  it('posts one message per channel with something to say, and nothing when there is nothing', async () => {
    const id = freshId();
    h.cashfree.addVerification({ verification_id: id });
    step(2_000);
    const parent = await track(h, id, 'C0OTHER');
    h.cashfree.setState(id, { status: 'AUDITOR_REVIEWED', sub_status: 'AUDITOR_APPROVED' });
    step(2_000);
    await tick();
    await tick();
    expect(h.slack.thread('C0OTHER', parent.ts).map((m) => m.text).join('\n')).toContain('tracking has ended');

    const topLevel = (channel: string) => h.slack.messages(channel).filter((m) => m.thread_ts === undefined && m.text.startsWith('Video KYC digest'));
    step(2_000);
    expect(await whenHeld(() => h.bot.digest())).toBe(2);
    const [other] = topLevel('C0OTHER');
    expect(topLevel('C0OTHER')).toHaveLength(1);
    expect(JSON.stringify(other?.blocks)).toContain('Approved since the last digest (1)');
    expect(JSON.stringify(other?.blocks)).toContain(id);
    const [kyc] = topLevel('C0KYC');
    expect(topLevel('C0KYC')).toHaveLength(1);
    expect(kyc?.text).toMatch(/^Video KYC digest: \d+ tracked, [1-9]\d* waiting too long/);
    expect(JSON.stringify(kyc?.blocks)).toMatch(/\|thread>/);

    // The next run: the decided channel has nothing new to say; the other still tracks something.
    step(24 * 60 * MIN);
    expect(await whenHeld(() => h.bot.digest())).toBe(1);
    expect(topLevel('C0OTHER')).toHaveLength(1);
    expect(topLevel('C0KYC')).toHaveLength(2);
  });
});

describe("a channel's own stuck threshold (/kyc settings)", () => {
  it("notes a wait after the channel's threshold there, and after the default elsewhere", async () => {
    const answer = await h.kyc('settings', { channelId: 'C0FAST' });
    expect(answer.status).toBe(200);
    const modal = await h.slack.waitFor(() => h.slack.modals().find((m) => String(m.view['private_metadata']).includes('C0FAST')));
    expect((await h.interact(settingsSubmission(modal, { stuckMinutes: '5' }))).body).toContain('saved');
    const id = freshId();
    h.cashfree.addVerification({ verification_id: id, link_expiry: new Date(clock + 7 * 24 * 60 * MIN).toISOString() });
    step(2_000);
    const fast = await track(h, id, 'C0FAST');
    const usual = await track(h, id, 'C0SLOW');
    h.cashfree.setState(id, { status: 'PRE_VIDEO_CALL', sub_status: 'USER_QUEUED' });
    step(2_000);
    await tick();
    step(6 * MIN);
    await tick();
    expect(notes('C0FAST', fast.ts, 'waited')).toHaveLength(1);
    expect(notes('C0SLOW', usual.ts, 'waited')).toEqual([]);
    step(25 * MIN);
    await tick();
    expect(notes('C0SLOW', usual.ts, 'waited')).toHaveLength(1);
    expect(notes('C0FAST', fast.ts, 'waited')).toHaveLength(1);
  });
});
