import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { REJECTED_JOURNEY, SAMPLE_RECORDING_LINK, STANDARD_JOURNEY } from '../../sim/cashfree.js';
import { ackText, startHarness, type Harness } from '../helpers/harness.js';
import { everySlackCallText, threadCodes, track } from '../helpers/tracking.js';

let h: Harness;
let n = 0;
const freshId = (prefix = 'vkyc') => `${prefix}_${++n}_${Date.now() % 100000}`;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => {
  h.cashfree.setLatency(0);
});

const journeyCodes = (steps: readonly { status: string; sub_status: string }[]) => steps.map((s) => `${s.status}/${s.sub_status}`);

describe('/kyc track and the poller', () => {
  it('posts one reply per change, in order, with both codes, and none while nothing changes', async () => {
    const id = freshId();
    h.cashfree.addVerification({ verification_id: id });
    const parent = await track(h, id);
    expect(parent.text).toContain('RECEIVED');
    expect(JSON.stringify(parent.blocks)).toContain('LINK_GENERATED');

    await h.bot.tick();
    expect(threadCodes(h, 'C0KYC', parent.ts)).toEqual([]);

    for (let step = 1; step < STANDARD_JOURNEY.length; step += 1) {
      h.cashfree.advance(id);
      await h.bot.tick();
      await h.bot.tick();
    }
    expect(threadCodes(h, 'C0KYC', parent.ts)).toEqual(journeyCodes(STANDARD_JOURNEY.slice(1)));
    const replies = h.slack.thread('C0KYC', parent.ts);
    expect(replies.every((r) => r.thread_ts === parent.ts)).toBe(true);
    // Only the final reply is broadcast to the channel.
    expect(replies.map((r) => r.reply_broadcast === true)).toEqual(replies.map((_, i) => i === replies.length - 1));
    // The parent shows the latest status.
    const latest = h.slack.messages('C0KYC').find((m) => m.ts === parent.ts);
    expect(JSON.stringify(latest?.edits.at(-1))).toContain('AUDITOR_APPROVED');
  });

  it('stops polling after a terminal status', async () => {
    const id = freshId();
    h.cashfree.addVerification({ verification_id: id, steps: [...REJECTED_JOURNEY] });
    const parent = await track(h, id);
    h.cashfree.advance(id);
    await h.bot.tick();
    h.cashfree.advance(id);
    await h.bot.tick();
    const polls = h.cashfree.pollCount(id);
    await h.bot.tick();
    await h.bot.tick();
    expect(h.cashfree.pollCount(id)).toBe(polls);
    expect(threadCodes(h, 'C0KYC', parent.ts)).toEqual(journeyCodes(REJECTED_JOURNEY.slice(1)));
    const list = await h.kyc('list');
    expect((await h.waitForReply(list.responseUrl))[0]).not.toContain(id);
  });

  it('shows a scheduled meeting in UTC and IST, and never posts the recording link', async () => {
    const id = freshId();
    h.cashfree.addVerification({ verification_id: id });
    const parent = await track(h, id);
    h.cashfree.setState(id, { status: 'PRE_VIDEO_CALL', sub_status: 'USER_MEETING_SCHEDULED', meeting_schedule: '2025-07-09T14:50:00.000Z' });
    await h.bot.tick();
    h.cashfree.setState(id, { status: 'VIDEO_CALL', sub_status: 'CALL_COMPLETED', recording_link: SAMPLE_RECORDING_LINK });
    await h.bot.tick();
    const replies = h.slack.thread('C0KYC', parent.ts).map((m) => m.text);
    expect(replies[0]).toContain('2025-07-09 14:50 UTC (20:20 IST)');
    expect(replies[1]).toContain('recording is available');
    const status = await h.kyc(`status ${id}`);
    expect((await h.waitForReply(status.responseUrl))[0]).toContain('recording is available');
    const everything = everySlackCallText(h);
    expect(everything).not.toContain('X-Amz');
    expect(everything).not.toContain('watermarkedRecording');
  });

  it('shows unknown codes as they are', async () => {
    const id = freshId();
    h.cashfree.addVerification({ verification_id: id });
    const parent = await track(h, id);
    h.cashfree.setState(id, { status: 'BRAND_NEW_STATUS', sub_status: 'SOMETHING_ODD' });
    await h.bot.tick();
    const [reply] = h.slack.thread('C0KYC', parent.ts);
    expect(reply?.text).toContain('`BRAND_NEW_STATUS` / `SOMETHING_ODD`');
  });

  it('answers a second track in the same channel with a pointer to the existing thread', async () => {
    const id = freshId();
    h.cashfree.addVerification({ verification_id: id });
    await track(h, id);
    const again = await h.kyc(`track ${id}`);
    const [reply] = await h.waitForReply(again.responseUrl);
    expect(reply).toContain('already tracked');
    expect(reply).toContain('https://sim.slack.com/archives/C0KYC/p');
    expect(h.slack.messages('C0KYC').filter((m) => m.thread_ts === undefined && m.text.includes(id))).toHaveLength(1);
  });

  it('polls a verification tracked in two channels once per tick and updates both threads', async () => {
    const id = freshId();
    h.cashfree.addVerification({ verification_id: id });
    const first = await track(h, id, 'C0KYC');
    const second = await track(h, id, 'C0OTHER');
    h.cashfree.advance(id);
    const before = h.cashfree.pollCount(id);
    await h.bot.tick();
    expect(h.cashfree.pollCount(id)).toBe(before + 1);
    expect(threadCodes(h, 'C0KYC', first.ts)).toEqual(['PRE_VIDEO_CALL/AADHAAR_VERIFICATION_SUCCESS']);
    expect(threadCodes(h, 'C0OTHER', second.ts)).toEqual(['PRE_VIDEO_CALL/AADHAAR_VERIFICATION_SUCCESS']);
  });

  it('tracks by reference id', async () => {
    const id = freshId();
    const ref = h.cashfree.addVerification({ verification_id: id });
    const answer = await h.kyc(`track ref:${ref}`);
    expect((await h.waitForReply(answer.responseUrl))[0]).toContain(`Tracking \`${id}\``);
    expect(h.slack.messages('C0KYC').some((m) => m.thread_ts === undefined && m.text.includes(id))).toBe(true);
    const untrack = await h.kyc(`untrack ref:${ref}`);
    expect((await h.waitForReply(untrack.responseUrl))[0]).toContain('Stopped tracking');
  });

  it('gives an ephemeral error with Cashfree\'s message for an unknown id', async () => {
    const answer = await h.kyc('track no_such_id');
    const [reply] = await h.waitForReply(answer.responseUrl);
    expect(reply).toContain('verification_id_not_found');
  });

  it('untracks, saying so in the thread and naming who stopped it', async () => {
    const id = freshId();
    h.cashfree.addVerification({ verification_id: id });
    const parent = await track(h, id);
    const answer = await h.kyc(`untrack ${id}`, { userId: 'U0BOSS' });
    expect((await h.waitForReply(answer.responseUrl))[0]).toContain('Stopped tracking');
    expect(h.slack.thread('C0KYC', parent.ts).at(-1)?.text).toContain('<@U0BOSS> stopped tracking');
    h.cashfree.advance(id);
    const polls = h.cashfree.pollCount(id);
    await h.bot.tick();
    expect(h.cashfree.pollCount(id)).toBe(polls);
  });

  it('lists the channel\'s verifications with status and thread links, and shows history', async () => {
    const id = freshId('listed');
    h.cashfree.addVerification({ verification_id: id });
    await track(h, id, 'C0LIST');
    h.cashfree.advance(id);
    await h.bot.tick();
    const list = await h.kyc('list', { channelId: 'C0LIST' });
    const [text] = await h.waitForReply(list.responseUrl);
    expect(text).toContain(id);
    expect(text).toContain('AADHAAR_VERIFICATION_SUCCESS');
    expect(text).toContain('https://sim.slack.com/archives/C0LIST/p');
    const history = await h.kyc(`history ${id}`);
    const [entries] = await h.waitForReply(history.responseUrl);
    expect(entries).toContain('LINK_GENERATED');
    expect(entries).toContain('AADHAAR_VERIFICATION_SUCCESS');
  });

  it('ends tracking when the link expired before the pre-call checks were passed', async () => {
    const id = freshId();
    h.cashfree.addVerification({ verification_id: id });
    const parent = await track(h, id);
    h.cashfree.setState(id, { link_expiry: new Date(Date.now() - 1000).toISOString() });
    await h.bot.tick();
    const [reply] = h.slack.thread('C0KYC', parent.ts);
    expect(reply?.text).toContain('link expired');
    expect(reply?.reply_broadcast).toBe(true);
    const polls = h.cashfree.pollCount(id);
    await h.bot.tick();
    expect(h.cashfree.pollCount(id)).toBe(polls);
  });

  it('ends tracking cleanly when the parent message was deleted', async () => {
    const id = freshId();
    h.cashfree.addVerification({ verification_id: id });
    const parent = await track(h, id);
    h.slack.deleteMessage('C0KYC', parent.ts);
    h.cashfree.advance(id);
    await h.bot.tick();
    expect(h.logs.some((line) => line.includes('tracking ended') && line.includes(id))).toBe(true);
    h.cashfree.advance(id);
    const polls = h.cashfree.pollCount(id);
    await h.bot.tick();
    await h.bot.tick();
    expect(h.cashfree.pollCount(id)).toBe(polls);
  });

  it('help lists every subcommand', async () => {
    const answer = await h.kyc('');
    const text = ackText(answer.body);
    for (const word of ['link', 'track', 'status', 'untrack', 'list', 'history', 'help']) expect(text).toContain(`/kyc ${word}`);
    const unknown = ackText((await h.kyc('frobnicate <@U123>')).body);
    expect(unknown).toContain("don't know the subcommand");
    expect(unknown).toContain('/kyc track');
    expect(unknown).not.toContain('<@U123>');
  });
});
