import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shownText, type SimMessage } from '../../sim/slack.js';
import { vkycSubmission } from '../../sim/vkyc-form.js';
import { buttonClick, homeAction } from '../../sim/slack-payloads.js';
import { openDatabase } from '../../src/store/open.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { storedRows } from '../helpers/stored.js';
import { handClockTicks, openHome as openHomeTab, track } from '../helpers/tracking.js';

const MIN = 60_000;
const OWNER = 'U0AGENT';
const LEAD = 'U0LEAD';

/**
 * The owner of a verification (who started or first tracked it): DMs once per event, a mention on the final state,
 * never for their own commands or clicks, App Home settings and quiet hours, and rejection remarks kept private.
 * The bot's clock is moved by hand, so calls, expiries and quiet hours come in milliseconds.
 */
for (const socketMode of [false, true]) {
  describe(`the owner's DMs and mentions (${socketMode ? 'Socket Mode' : 'HTTP'})`, () => {
    const clock = { now: Date.now() };
    let h: Harness;
    let n = 0;
    const freshId = () => `own_${socketMode ? 's' : 'h'}_${++n}_${Date.now() % 100000}`;

    beforeAll(async () => {
      // A jump of the clock expires the poll lease until the next renewal: renew often, so a tick soon runs again.
      // A tick ends as soon as the budget has nothing now (the clock only moves by hand): the board is polled over a few ticks.
      h = await startHarness({ socketMode, now: () => clock.now, tickMaxMs: 1, timings: { leaseRenewMs: 50 }, env: { KYC_ALLOWED_USERS: `${OWNER},${LEAD}` } });
    });
    afterAll(async () => {
      await h.close();
    });

    const { step, tick, ticks, until } = handClockTicks(() => h, clock);
    /** Ticks until the thread shows `subStatus` (the bot has seen it), then a few more for anything that follows it. */
    async function seen(parent: SimMessage, subStatus: string): Promise<void> {
      await until(`${subStatus} in the thread`, () => thread(parent).some((m) => m.text.includes(subStatus)));
      await ticks(2);
    }
    /** The owner DMs about a verification (not the file /kyc vkyc sends its starter with the customer's link). */
    const dmsAbout = (userId: string, id: string) => h.slack.directMessages(userId).filter((m) => m.files === undefined && m.text.includes(id));
    const thread = (parent: SimMessage) => h.slack.thread(parent.channel, parent.ts);
    const finalReply = (parent: SimMessage) => thread(parent).find((m) => m.text.includes('tracking has ended'));

    async function ownerTracks(id: string, extra: Omit<Parameters<Harness['cashfree']['addVerification']>[0], 'verification_id'> = {}): Promise<SimMessage> {
      h.cashfree.addVerification({ verification_id: id, ...extra });
      step(2_000);
      return track(h, id, 'C0KYC', OWNER);
    }

    it('a failed pre-call check DMs the owner once, linking the thread, with nothing about the customer; not again after a restart', async () => {
      const id = freshId();
      const parent = await ownerTracks(id);
      h.cashfree.setState(id, { status: 'PRE_VIDEO_CALL', sub_status: 'USER_AUDIO_CHECK_FAILED' });
      await seen(parent, 'USER_AUDIO_CHECK_FAILED');
      const [dm, ...more] = dmsAbout(OWNER, id);
      expect(more).toEqual([]);
      expect(dm?.text).toContain('failed a pre-call check');
      expect(dm?.text).toContain("microphone is not enabled");
      expect(dm?.text).toMatch(/<https?:\/\/[^|>]+\|Open the thread>/);
      expect(dm?.text).not.toContain(h.cashfree.state(id).vkyc_link);
      expect(dm?.text).not.toContain(h.cashfree.state(id).user_id);
      expect(dmsAbout(LEAD, id)).toEqual([]);

      await h.restart();
      await ticks(3);
      expect(dmsAbout(OWNER, id)).toHaveLength(1);
    });

    it('a rejection DMs the owner its remarks and mentions them in every final reply; the remarks reach no channel, log or table', async () => {
      const id = freshId();
      const marker = `ZQX${n}${socketMode ? 's' : 'h'}`;
      const mine = await ownerTracks(id);
      step(2_000);
      const theirs = await track(h, id, 'C0OTHER', LEAD);
      h.cashfree.setState(id, {
        status: 'AUDITOR_REVIEWED',
        sub_status: 'AUDITOR_REJECTED',
        agent_remarks: `Face did not match the ID ${marker}-agent`,
        auditor_remarks: `  Document blurred ${marker}-auditor <!channel>  `,
      });
      await until('both final replies', () => finalReply(mine) !== undefined && finalReply(theirs) !== undefined);
      await until('the rejection DM', () => dmsAbout(OWNER, id).length > 0);
      for (const parent of [mine, theirs]) expect(finalReply(parent)?.text).toContain(`cc <@${OWNER}>`);
      const [dm, ...more] = dmsAbout(OWNER, id);
      expect(more).toEqual([]);
      expect(dm?.text).toContain('was rejected');
      expect(dm?.text).toContain(`*Agent's remarks:* Face did not match the ID ${marker}-agent`);
      // Free text is escaped: it cannot ping a channel.
      expect(dm?.text).toContain(`*Auditor's remarks:* Document blurred ${marker}-auditor &lt;!channel&gt;`);
      expect(dmsAbout(LEAD, id)).toEqual([]);

      // /kyc status shows them privately, to whoever asks (within the access lists).
      const status = await h.kyc(`status ${id}`, { userId: LEAD, channelId: 'C0OTHER' });
      const [answer] = await h.waitForReply(status.responseUrl);
      expect(answer).toContain(`${marker}-agent`);
      expect(h.slack.responses.find((r) => r.url === status.responseUrl)?.body['response_type']).toBe('ephemeral');

      await h.restart();
      await ticks(2);
      expect(dmsAbout(OWNER, id)).toHaveLength(1);

      const channelVisible = h.slack.calls.filter((call) => {
        const channel = call.params['channel'] ?? call.params['channel_id'];
        return call.method !== 'chat.postEphemeral' && typeof channel === 'string' && !channel.startsWith('D');
      });
      const inChannel = h.slack.responses.filter((r) => r.body['response_type'] === 'in_channel');
      const everywhere = [JSON.stringify([channelVisible, inChannel, h.slack.messages('C0KYC'), h.slack.messages('C0OTHER')]), h.logs.join('\n'), storedRows(h.config.databasePath)];
      for (const text of everywhere) expect(text).not.toContain(marker);
    });

    it("nobody is told of their own command or click; someone else's tells the owner", async () => {
      const id = freshId();
      const parent = await ownerTracks(id);
      h.cashfree.setState(id, { status: 'PRE_VIDEO_CALL', sub_status: 'USER_VIDEO_CHECK_FAILED' });
      step(2_000);
      const own = await h.kyc(`status ${id}`, { userId: OWNER, channelId: 'C0KYC' });
      await h.waitForReply(own.responseUrl);
      await seen(parent, 'USER_VIDEO_CHECK_FAILED');
      expect(dmsAbout(OWNER, id)).toEqual([]);

      // The owner's Refresh reveals the rejection: posted, but neither a DM nor a mention.
      h.cashfree.setState(id, { status: 'AUDITOR_REVIEWED', sub_status: 'AUDITOR_REJECTED', agent_remarks: 'not for anyone' });
      const refreshed = h.slack.responseUrl();
      await h.interact(click(parent, 'kyc_refresh', refreshed, OWNER));
      await h.waitForReply(refreshed);
      await until('the final reply', () => finalReply(parent));
      await ticks(2);
      expect(finalReply(parent)?.text).not.toContain(`<@${OWNER}>`);
      expect(dmsAbout(OWNER, id)).toEqual([]);

      // Someone else's /kyc status revealing a failed check: the owner hears of it.
      const other = freshId();
      await ownerTracks(other);
      h.cashfree.setState(other, { status: 'PRE_VIDEO_CALL', sub_status: 'USER_PROXY_DETECTED' });
      const theirs = await h.kyc(`status ${other}`, { userId: LEAD, channelId: 'C0KYC' });
      await h.waitForReply(theirs.responseUrl);
      await until('the DM about the check', () => dmsAbout(OWNER, other).length > 0);
      await ticks(2);
      expect(dmsAbout(OWNER, other)).toHaveLength(1);
    });

    it('Stop by the owner names nobody else; Stop by someone else mentions the owner', async () => {
      const mine = freshId();
      const minesParent = await ownerTracks(mine);
      const stopped = h.slack.responseUrl();
      await h.interact(click(minesParent, 'kyc_stop', stopped, OWNER));
      await h.waitForReply(stopped);
      const note = await h.slack.waitFor(() => thread(minesParent).find((m) => m.text.includes('stopped tracking')));
      expect(note.text).not.toContain('cc <@');

      const theirs = freshId();
      const theirsParent = await ownerTracks(theirs);
      const stoppedByLead = h.slack.responseUrl();
      await h.interact(click(theirsParent, 'kyc_stop', stoppedByLead, LEAD));
      await h.waitForReply(stoppedByLead);
      const leadNote = await h.slack.waitFor(() => thread(theirsParent).find((m) => m.text.includes('stopped tracking')));
      expect(leadNote.text).toContain(`<@${LEAD}> stopped tracking`);
      expect(leadNote.text).toContain(`cc <@${OWNER}>`);
    });

    it('a call in 10 minutes and an unused link expiring within the hour each DM the owner once', async () => {
      const unused = freshId();
      await ownerTracks(unused, { link_expiry: new Date(clock.now + 90 * MIN).toISOString() });
      const booked = freshId();
      const bookedParent = await ownerTracks(booked);
      h.cashfree.setState(booked, { status: 'PRE_VIDEO_CALL', sub_status: 'USER_MEETING_SCHEDULED', meeting_schedule: new Date(clock.now + 20 * MIN).toISOString() });
      await seen(bookedParent, 'USER_MEETING_SCHEDULED');
      await tick(31_000);
      expect(dmsAbout(OWNER, booked)).toEqual([]);
      expect(dmsAbout(OWNER, unused)).toEqual([]);
      await until('the call-soon DM', () => {
        if (dmsAbout(OWNER, booked).length > 0) return true;
        step(MIN);
        return false;
      });
      const [soon] = dmsAbout(OWNER, booked);
      expect(soon?.text).toMatch(/scheduled video call starts in about (9|10) min/);
      await tick(30 * MIN);
      await tick(31_000);
      expect(dmsAbout(OWNER, booked)).toHaveLength(1);
      const [expiring, ...again] = dmsAbout(OWNER, unused);
      expect(again).toEqual([]);
      expect(expiring?.text).toContain('the link expires in about');
    });

    it('App Home: a DM kind turned off is not sent, quiet hours hold a DM until they end, and a stranger changes nothing', async () => {
      let home = await openHome(OWNER);
      expect(shownText(home)).toContain('Send me a message when');
      expect(JSON.stringify(home)).toContain('owner_dm_kinds');

      const wanted = ['call_soon', 'dropoff', 'rejected', 'expiring', 'sla'];
      home = await settle(OWNER, home, { type: 'checkboxes', action_id: 'owner_dm_kinds', block_id: 'owner_settings_kinds', selected_options: wanted.map(option) });
      expect(checkedKinds(home)).toEqual(wanted);
      const muted = freshId();
      await ownerTracks(muted);
      h.cashfree.setState(muted, { status: 'PRE_VIDEO_CALL', sub_status: 'AADHAAR_VERIFICATION_FAILED' });
      await seen(await parentOf(muted), 'AADHAAR_VERIFICATION_FAILED');
      expect(dmsAbout(OWNER, muted)).toEqual([]);

      // Quiet from this hour (in KYC_TIMEZONE, Asia/Kolkata) for two hours.
      const hour = Number(new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Kolkata', hour: '2-digit', hourCycle: 'h23' }).format(new Date(clock.now)));
      home = await settle(OWNER, home, { type: 'static_select', action_id: 'owner_quiet_from', block_id: 'owner_settings', selected_option: { value: String(hour * 60) } });
      home = await settle(OWNER, home, { type: 'static_select', action_id: 'owner_quiet_until', block_id: 'owner_settings', selected_option: { value: String(((hour + 2) % 24) * 60) } });
      expect(shownText(home)).toContain('Quiet hours');
      const quiet = freshId();
      const quietParent = await ownerTracks(quiet);
      h.cashfree.setState(quiet, { status: 'PRE_VIDEO_CALL', sub_status: 'NO_AGENT_FOUND' });
      await seen(quietParent, 'NO_AGENT_FOUND');
      expect(dmsAbout(OWNER, quiet)).toEqual([]);
      await tick(60 * MIN);
      expect(dmsAbout(OWNER, quiet)).toEqual([]);
      await tick(61 * MIN);
      await until('the held DM', () => dmsAbout(OWNER, quiet).length > 0);
      await ticks(2);
      const [held, ...more] = dmsAbout(OWNER, quiet);
      expect(more).toEqual([]);
      expect(held?.text).toContain('dropped off');

      // Back to every DM and no quiet hours.
      home = await settle(OWNER, home, { type: 'checkboxes', action_id: 'owner_dm_kinds', block_id: 'owner_settings_kinds', selected_options: [...wanted, 'precheck_failed'].map(option) });
      home = await settle(OWNER, home, { type: 'static_select', action_id: 'owner_quiet_from', block_id: 'owner_settings', selected_option: { value: 'off' } });
      expect(checkedKinds(home)).toHaveLength(6);
      expect(shownText(home)).toContain('Choose both ends for quiet hours to apply.');

      // Someone outside KYC_ALLOWED_USERS: refused, audited, nothing saved.
      await h.interact(homeAction('U0STRANGER', home, { type: 'checkboxes', action_id: 'owner_dm_kinds', block_id: 'owner_settings_kinds', selected_options: [] }));
      await h.slack.waitFor(() => audited('U0STRANGER'));
      expect(settingsRow('U0STRANGER')).toBeUndefined();
    });

    it('a DM Slack refuses (no im:write scope) is retried later and sent once', async () => {
      const id = freshId();
      const parent = await ownerTracks(id);
      h.slack.revokeScope('im:write');
      const opened = () => h.slack.calls.filter((c) => c.method === 'conversations.open' && c.params['users'] === OWNER).length;
      const before = opened();
      h.cashfree.setState(id, { status: 'PRE_VIDEO_CALL', sub_status: 'TECHNICAL_FAILURE' });
      await seen(parent, 'TECHNICAL_FAILURE');
      await until('a refused conversations.open', () => opened() > before);
      expect(dmsAbout(OWNER, id)).toEqual([]);
      h.slack.grantScope('im:write');
      await until('the DM after the retry', () => dmsAbout(OWNER, id).length > 0);
      await ticks(2);
      expect(dmsAbout(OWNER, id)).toHaveLength(1);
      const metrics = await (await fetch(`http://127.0.0.1:${h.bot.port}/metrics`)).text();
      expect(metrics).toMatch(/kyc_slack_posts_total\{kind="owner_dm",outcome="failed"\} [1-9]/);
      expect(metrics).toMatch(/kyc_slack_posts_total\{kind="owner_dm",outcome="ok"\} [1-9]/);
    });

    it('whoever starts a Video KYC with /kyc vkyc owns it', async () => {
      const before = h.slack.modals().length;
      await h.kyc('vkyc', { channelId: 'C0KYC', userId: LEAD });
      const modal = await h.slack.waitFor(() => h.slack.modals()[before]);
      const id = freshId();
      await h.interact(vkycSubmission(modal, { phone: '9876543210', verificationId: id }, LEAD));
      await h.slack.waitFor(() => h.slack.messages('C0KYC').find((m) => m.thread_ts === undefined && m.text.includes(id)));
      h.cashfree.setState(id, { status: 'PRE_VIDEO_CALL', sub_status: 'USER_LOCATION_PERMISSION_DISABLED' });
      await seen(await parentOf(id), 'USER_LOCATION_PERMISSION_DISABLED');
      await until('the starter\'s DM', () => dmsAbout(LEAD, id).length > 0);
      await ticks(2);
      expect(dmsAbout(LEAD, id)).toHaveLength(1);
      expect(dmsAbout(OWNER, id)).toEqual([]);
    });

    async function parentOf(id: string): Promise<SimMessage> {
      return h.slack.waitFor(() => h.slack.messages('C0KYC').find((m) => m.thread_ts === undefined && m.text.includes(id)));
    }

    async function openHome(userId: string): Promise<Record<string, unknown>> {
      return (await openHomeTab(h, userId)).view;
    }

    /** Changes a setting on the Home tab and returns the tab the bot republishes. */
    async function settle(userId: string, home: Record<string, unknown>, action: Record<string, unknown>): Promise<Record<string, unknown>> {
      const before = h.slack.views.length;
      await h.interact(homeAction(userId, home, action));
      const view = await h.slack.waitFor(() => h.slack.views.slice(before).find((v) => v.userId === userId));
      return view.view;
    }

    function audited(userId: string): boolean {
      const db = openDatabase(h.config.databasePath);
      try {
        return db.prepare("SELECT 1 FROM audit WHERE actor = ? AND action = 'access_refused' AND subject = 'home:dm_settings'").get(userId) !== undefined;
      } finally {
        db.close();
      }
    }

    function settingsRow(userId: string): unknown {
      const db = openDatabase(h.config.databasePath);
      try {
        return db.prepare('SELECT * FROM owner_settings WHERE user_id = ?').get(userId);
      } finally {
        db.close();
      }
    }
  });
}

/** The DM kinds ticked in a published Home tab. */
function checkedKinds(home: Record<string, unknown>): string[] {
  const blocks = Array.isArray(home['blocks']) ? (home['blocks'] as Array<{ block_id?: string; accessory?: { initial_options?: Array<{ value: string }> } }>) : [];
  return (blocks.find((block) => block.block_id === 'owner_settings_kinds')?.accessory?.initial_options ?? []).map((o) => o.value);
}

function option(value: string): Record<string, unknown> {
  return { text: { type: 'plain_text', text: value }, value };
}

/** A click on a card's Refresh or Stop tracking button. */
function click(parent: SimMessage, actionId: 'kyc_refresh' | 'kyc_stop', responseUrl: string, userId: string): Record<string, unknown> {
  const text = { type: 'plain_text', text: actionId === 'kyc_refresh' ? 'Refresh' : 'Stop tracking' };
  return buttonClick(parent, { actionId, blockId: 'kyc_card_actions', value: /Video KYC (\S+):/.exec(parent.text)?.[1] ?? '', text }, { responseUrl, userId });
}
