import Database from 'better-sqlite3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { REJECTED_JOURNEY, STANDARD_JOURNEY, webhookEventFor } from '../../sim/cashfree.js';
import { settingsSubmission } from '../../sim/settings-form.js';
import type { SimMessage, SimView } from '../../sim/slack.js';
import { vkycSubmission } from '../../sim/vkyc-form.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { threadCodes, track } from '../helpers/tracking.js';

/**
 * Channel rules (`/kyc subscribe …`) and channel settings (`/kyc settings`), through the real Bolt app in both
 * modes, the Cashfree simulator's webhooks and a real SQLite file. Polling is off: every card and reply below
 * comes from a webhook.
 */
for (const socketMode of [false, true]) {
  describe(`channel rules and settings (${socketMode ? 'Socket Mode' : 'HTTP'})`, () => {
    let h: Harness;
    let n = 0;
    const freshId = (prefix: string) => `${prefix}_${socketMode ? 's' : 'h'}_${++n}`;

    beforeAll(async () => {
      h = await startHarness({ socketMode, env: { POLL_SCHEDULE: '0 0 1 1 *', KYC_ALLOWED_USERS: 'U0AGENT,U0ASHA,U0BEN' } });
    });
    afterAll(async () => {
      await h.close();
    });
    beforeEach(() => {
      h.cashfree.setWebhookUrl(h.webhookUrl);
    });

    /** `/kyc <text>` in a channel; the agent's first private answer. */
    async function command(text: string, channelId: string, userId = 'U0AGENT'): Promise<string> {
      const answer = await h.kyc(text, { channelId, userId });
      expect(answer.status).toBe(200);
      return (await h.waitForReply(answer.responseUrl))[0] ?? '';
    }

    function read<T>(sql: string, ...args: unknown[]): T[] {
      const db = new Database(h.config.databasePath, { readonly: true });
      try {
        return db.prepare(sql).all(...args) as T[];
      } finally {
        db.close();
      }
    }

    /** Every webhook Cashfree sent has been answered and processed: nothing more will come of them. */
    const drained = () =>
      h.slack.waitFor(() => read<{ n: number }>('SELECT count(*) AS n FROM webhook_events WHERE processed_at IS NULL')[0]?.n === 0);

    /** Moves the simulator one step and, when Cashfree pushes an event for it, waits until the bot has recorded it. */
    async function push(id: string): Promise<void> {
      const step = h.cashfree.advance(id);
      // Steps Cashfree sends no event for are not seen by the bot, polling off.
      if (webhookEventFor(h.cashfree.state(id)) === undefined) return;
      await h.slack.waitFor(() => read<{ sub_status: string }>('SELECT sub_status FROM verifications WHERE verification_id = ?', id)[0]?.sub_status === step.sub_status);
      await drained();
    }

    const card = (channelId: string, id: string): SimMessage | undefined =>
      h.slack.messages(channelId).find((m) => m.thread_ts === undefined && m.text.includes(id));

    /** Starts a Video KYC with `/kyc vkyc` as `userId`, in C0KYC, with the default templates. */
    async function startVkyc(userId: string, id: string): Promise<void> {
      const before = h.slack.modals().length;
      expect((await h.kyc('vkyc', { channelId: 'C0KYC', userId })).status).toBe(200);
      const modal = await h.slack.waitFor(() => h.slack.modals()[before]);
      await h.interact(vkycSubmission(modal, { phone: '9876543210', verificationId: id }, userId));
      await h.slack.waitFor(() => card('C0KYC', id));
    }

    /** Opens `/kyc settings` in a channel and returns the modal. */
    async function openSettings(channelId: string, userId = 'U0AGENT'): Promise<SimView> {
      const before = h.slack.modals().length;
      const answer = await h.kyc('settings', { channelId, userId });
      expect(answer.status).toBe(200);
      return h.slack.waitFor(() => h.slack.modals()[before]);
    }

    it('routes by rules: classes OR, kinds AND, negations exclude, several rules per channel', async () => {
      expect(await command('subscribe rejected expiries -template:vkyc_user_template_v1', 'C0REJ')).toContain('Rule 1 added');
      expect(await command('subscribe by:<@U0ASHA|asha>', 'C0ASHA')).toContain('started or tracked by <@U0ASHA>');
      expect(await command('subscribe approved', 'C0MIX')).toContain('Rule 1 added');
      expect(await command('subscribe scheduled -by:<@U0BEN>', 'C0MIX')).toContain('Rule 2 added');
      expect(h.slack.messages('C0MIX').filter((m) => m.text.includes('added a rule'))).toHaveLength(2);

      // Started by Asha with the default templates, then rejected: her channel, but excluded by C0REJ's template.
      const asha = freshId('vk_asha');
      await startVkyc('U0ASHA', asha);
      h.cashfree.setState(asha, { status: 'REJECTED', sub_status: 'AUDITOR_REJECTED' });
      await h.slack.waitFor(() => card('C0ASHA', asha));
      // Rejected, and no template known (not started by the bot): a negated template does not exclude it.
      const pushedOnly = freshId('vk_rej');
      h.cashfree.addVerification({ verification_id: pushedOnly, steps: REJECTED_JOURNEY });
      await push(pushedOnly);
      await push(pushedOnly);
      await h.slack.waitFor(() => card('C0REJ', pushedOnly));
      // A call scheduled: C0MIX's second rule; tracked by Ben, so only while Ben's rule term does not hold.
      const scheduled = freshId('vk_sched');
      h.cashfree.addVerification({ verification_id: scheduled });
      const bens = freshId('vk_ben');
      h.cashfree.addVerification({ verification_id: bens });
      await track(h, bens, 'C0KYC', 'U0BEN');
      for (let i = 0; i < 5; i += 1) {
        await push(scheduled);
        await push(bens);
      }
      await h.slack.waitFor(() => card('C0MIX', scheduled));
      // A drop-off and an expiry, as Cashfree pushes them (VKYC_USER_DROPOFF_FROM_CALL, VKYC_USER_LINK_EXPIRED).
      expect(await command('subscribe dropoffs expiries', 'C0LOST')).toContain('Rule 1 added');
      const dropped = freshId('vk_drop');
      const expired = freshId('vk_exp');
      h.cashfree.addVerification({ verification_id: dropped });
      h.cashfree.addVerification({ verification_id: expired });
      h.cashfree.setState(dropped, { status: 'VIDEO_CALL', sub_status: 'USER_DROPPED_OFF' });
      h.cashfree.setState(expired, { status: 'EXPIRED', sub_status: 'LINK_EXPIRED' });
      await h.slack.waitFor(() => card('C0LOST', dropped) && card('C0LOST', expired));
      await drained();
      expect(card('C0REJ', expired)).toBeDefined();
      expect(card('C0REJ', dropped)).toBeUndefined();
      expect(card('C0LOST', scheduled)).toBeUndefined();

      expect(card('C0REJ', asha)).toBeUndefined();
      expect(card('C0REJ', scheduled)).toBeUndefined();
      expect(card('C0ASHA', pushedOnly)).toBeUndefined();
      expect(card('C0ASHA', scheduled)).toBeUndefined();
      expect(card('C0MIX', asha)).toBeUndefined();
      expect(card('C0MIX', pushedOnly)).toBeUndefined();
      expect(card('C0MIX', bens)).toBeUndefined();
      // A card opened by a rule: its author is not someone who tracked it (a `by:` rule ignores them).
      expect(read<{ opened_by_rule: number }>("SELECT opened_by_rule FROM trackings WHERE channel_id = 'C0MIX'").map((r) => r.opened_by_rule)).toEqual([1]);
    });

    it('lists the rules numbered with who set them, removes one by number or all, and names the valid filters', async () => {
      await command('subscribe failures', 'C0LIST', 'U0ASHA');
      await command('subscribe template:Aadhaar_verification -approved', 'C0LIST', 'U0BEN');
      expect(await command('subscribe -approved template:aadhaar_verification', 'C0LIST')).toContain('already has this rule (number 2');
      const listed = await command('subscriptions', 'C0LIST');
      expect(listed).toContain('2 rules in this channel');
      expect(listed).toMatch(/\*1\.\* `failures`: Video KYCs that fail or are rejected\. Set by <@U0ASHA>, \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
      expect(listed).toContain('*2.* `template:Aadhaar_verification -approved`: Video KYCs started with template `Aadhaar_verification`, except those that are approved. Set by <@U0BEN>');
      expect(listed).toContain('Final states: also sent to the channel');
      expect(listed).toContain('Other channels that follow the account');

      const typo = await h.kyc('subscribe rejectd', { channelId: 'C0LIST' });
      for (const word of ['`rejectd` is not a filter', 'failures', 'dropoffs', 'expiries', 'approved', 'rejected', 'scheduled', 'template:', 'by:@person']) {
        expect(typo.body).toContain(word);
      }
      expect((await h.kyc('subscribe by:@asha', { channelId: 'C0LIST' })).body).toContain("pick the person from Slack's list");
      expect(await command('unsubscribe 7', 'C0LIST')).toContain('this channel has 2 (1 to 2)');
      expect(await command('unsubscribe 1', 'C0LIST')).toContain('Rule 1 (`failures`) removed');
      expect(await command('subscriptions', 'C0LIST')).toContain('*1.* `template:Aadhaar_verification -approved`');
      expect(await command('unsubscribe', 'C0LIST')).toContain('All 1 rule of this channel removed');
      expect(await command('unsubscribe', 'C0LIST')).toContain('This channel has no rules');
      const audit = read<{ action: string; detail: string }>("SELECT action, detail FROM audit WHERE channel_id = 'C0LIST' ORDER BY id");
      expect(audit).toEqual([
        { action: 'subscribed', detail: 'failures' },
        { action: 'subscribed', detail: 'template:Aadhaar_verification -approved' },
        { action: 'unsubscribed', detail: 'failures' },
        { action: 'unsubscribed', detail: 'all' },
      ]);
    });

    it('settings: initial values, field errors, then thread-only and condensed threads post what they promise', async () => {
      const modal = await openSettings('C0QUIET');
      const shown = JSON.stringify(modal.view);
      expect(shown).toContain('"initial_option":{"text":{"type":"plain_text","text":"Also send them to the channel"},"value":"broadcast"}');
      expect(shown).toContain('"initial_option":{"text":{"type":"plain_text","text":"Every change of status"},"value":"every_change"}');

      const wrong = await h.interact(settingsSubmission(modal, { stuckMinutes: '0', escalation: '@channel' }));
      const errors = JSON.parse(wrong.body) as { response_action: string; errors: Record<string, string> };
      expect(errors.response_action).toBe('errors');
      expect(Object.keys(errors.errors).sort()).toEqual(['escalation', 'stuck_minutes']);
      expect(errors.errors['escalation']).toContain('@here');

      const saved = await h.interact(settingsSubmission(modal, { finalPosts: 'thread_only', threadDetail: 'condensed', stuckMinutes: '45', escalation: 'S0KYCLEADS' }));
      expect(saved.body).toContain('Settings of <#C0QUIET> saved');
      const again = await openSettings('C0QUIET');
      expect(JSON.stringify(again.view)).toContain('"value":"thread_only"}');
      expect(JSON.stringify(again.view)).toContain('"initial_value":"45"');
      expect(JSON.stringify(again.view)).toContain('"initial_value":"S0KYCLEADS"');
      const listed = await command('subscriptions', 'C0QUIET');
      expect(listed).toContain('Final states: kept in the thread');
      expect(listed).toContain('Threads: milestones only (condensed)');
      expect(listed).toContain('Stuck note: after 45 min');
      expect(listed).toContain('Escalation target: the user group `S0KYCLEADS`');
      expect(read<{ escalation_target: string }>("SELECT escalation_target FROM channel_settings WHERE channel_id = 'C0QUIET'")).toEqual([
        { escalation_target: '<!subteam^S0KYCLEADS>' },
      ]);

      const id = freshId('vk_quiet');
      h.cashfree.addVerification({ verification_id: id });
      const quiet = await track(h, id, 'C0QUIET');
      const loud = await track(h, id, 'C0LOUD');
      for (let i = 1; i < STANDARD_JOURNEY.length; i += 1) await push(id);
      const final = 'AUDITOR_REVIEWED/AUDITOR_APPROVED';
      await h.slack.waitFor(() => threadCodes(h, 'C0LOUD', loud.ts).at(-1) === final && threadCodes(h, 'C0QUIET', quiet.ts).at(-1) === final);
      const pushed = STANDARD_JOURNEY.slice(1).filter((s) => webhookEventFor({ ...h.cashfree.state(id), ...s }) !== undefined);
      expect(threadCodes(h, 'C0LOUD', loud.ts)).toEqual(pushed.map((s) => `${s.status}/${s.sub_status}`));
      expect(threadCodes(h, 'C0QUIET', quiet.ts)).toEqual([
        'PRE_VIDEO_CALL/AADHAAR_VERIFICATION_SUCCESS',
        'PRE_VIDEO_CALL/USER_QUEUED',
        'PRE_VIDEO_CALL/AGENT_ASSIGNED_TO_USER',
        final,
      ]);
      const finalPost = (channel: string) =>
        h.slack.calls.find((c) => c.method === 'chat.postMessage' && c.params['channel'] === channel && String(c.params['text']).includes('AUDITOR_APPROVED'));
      // The Web API client sends form fields: booleans arrive as words.
      expect(String(finalPost('C0QUIET')?.params['reply_broadcast'])).toBe('false');
      expect(String(finalPost('C0LOUD')?.params['reply_broadcast'])).toBe('true');
      // The card still shows every state, and the skipped changes are handled, never posted later.
      await h.slack.waitFor(() => card('C0QUIET', id)?.text.includes('AUDITOR_APPROVED'));
      const rows = read<{ posted: number; skipped: number; pending: number }>(
        `SELECT sum(d.posted_at IS NOT NULL AND d.skipped = 0) AS posted, sum(d.skipped) AS skipped, sum(d.posted_at IS NULL) AS pending
         FROM deliveries d JOIN trackings t ON t.id = d.tracking_id WHERE t.channel_id = 'C0QUIET' AND t.verification_id = ?`,
        id,
      );
      expect(rows).toEqual([{ posted: 4, skipped: pushed.length - 4, pending: 0 }]);
      expect(read<{ detail: string }>("SELECT detail FROM audit WHERE action = 'settings_changed' AND channel_id = 'C0QUIET'")).toEqual([
        { detail: 'thread_only condensed stuck=45 escalation=<!subteam^S0KYCLEADS>' },
      ]);
    });

    it('refuses, and audits, settings and rules for someone off the allowed list', async () => {
      const answer = await h.kyc('settings', { channelId: 'C0QUIET', userId: 'U0EVE' });
      expect(answer.body).toContain('not allowed');
      expect(await h.kyc('subscribe', { channelId: 'C0QUIET', userId: 'U0EVE' }).then((a) => a.body)).toContain('not allowed');
      // The form was opened by someone allowed, submitted by someone who is not (a forwarded view id, say).
      const modal = await openSettings('C0REFUSED');
      const refused = await h.interact(settingsSubmission(modal, { threadDetail: 'condensed' }, 'U0EVE'));
      expect(refused.body).toContain('not allowed to change the settings');
      expect(read("SELECT * FROM channel_settings WHERE channel_id = 'C0REFUSED'")).toEqual([]);
      expect(read<{ subject: string }>("SELECT subject FROM audit WHERE actor = 'U0EVE' AND action = 'access_refused' ORDER BY id").map((r) => r.subject)).toEqual([
        'settings',
        'subscribe',
        'settings_submit',
      ]);
    });
  });
}
