import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settingsSubmission } from '../../sim/settings-form.js';
import type { SimMessage } from '../../sim/slack.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { handClockTicks, track } from '../helpers/tracking.js';

const MIN = 60_000;
const OWNER = 'U0AGENT';
const LEAD = 'U0LEAD';

/**
 * Service levels (KYC_SLA): a stage over its limit DMs the verification's owner once, and after the escalation delay
 * mentions the channel's escalation target in the card's thread once, also across a restart. The bot's clock is
 * moved by hand, so a quarter of an hour in the queue passes in milliseconds.
 */
for (const socketMode of [false, true]) {
  describe(`SLA breaches and escalation (${socketMode ? 'Socket Mode' : 'HTTP'})`, () => {
    const clock = { now: Date.now() };
    let h: Harness;
    let n = 0;
    const freshId = () => `sla_${socketMode ? 's' : 'h'}_${++n}_${Date.now() % 100000}`;

    beforeAll(async () => {
      // A jump of the clock expires the poll lease until the next renewal: renew often, so a tick soon runs again.
      h = await startHarness({ socketMode, now: () => clock.now, tickMaxMs: 1, timings: { leaseRenewMs: 50 }, env: { KYC_SLA: 'queue=15m,review=4h' } });
    });
    afterAll(async () => {
      await h.close();
    });

    const { step, tick, ticks, until } = handClockTicks(() => h, clock);
    const thread = (parent: SimMessage) => h.slack.thread(parent.channel, parent.ts);
    const dmsAbout = (userId: string, id: string) => h.slack.directMessages(userId).filter((m) => m.files === undefined && m.text.includes(id));
    const breachDms = (id: string) => dmsAbout(OWNER, id).filter((m) => m.text.includes('service level'));
    const escalations = (parent: SimMessage) => thread(parent).filter((m) => m.text.includes('service level'));
    const metrics = async () => (await fetch(`http://127.0.0.1:${h.bot.port}/metrics`)).text();

    async function setEscalation(channelId: string, escalation: string): Promise<void> {
      const before = h.slack.modals().length;
      await h.kyc('settings', { channelId, userId: LEAD });
      const modal = await h.slack.waitFor(() => h.slack.modals()[before]);
      const saved = await h.interact(settingsSubmission(modal, { escalation }, LEAD));
      expect(saved.body).toContain('saved');
    }

    /** The owner tracks a verification in `channelId` and the customer joins the queue; returns the card once the bot has seen it. */
    async function queued(id: string, channelId: string): Promise<SimMessage> {
      h.cashfree.addVerification({ verification_id: id });
      step(2_000);
      const parent = await track(h, id, channelId, OWNER);
      h.cashfree.setState(id, { status: 'PRE_VIDEO_CALL', sub_status: 'USER_QUEUED' });
      await until('USER_QUEUED in the thread', () => thread(parent).some((m) => m.text.includes('USER_QUEUED')));
      return parent;
    }

    it('a stage over its limit DMs the owner once, escalates once after the limit again, and not again after a restart', async () => {
      await setEscalation('C0ESC', 'S0KYCLEADS');
      const id = freshId();
      const parent = await queued(id, 'C0ESC');
      await tick(12 * MIN);
      expect(breachDms(id)).toEqual([]);

      await tick(4 * MIN);
      const [dm] = await until('the breach DM', () => (breachDms(id).length > 0 ? breachDms(id) : undefined));
      expect(dm?.text).toContain('*Queue wait* has lasted longer than allowed');
      expect(dm?.text).toMatch(/<https?:\/\/[^|>]+\|Open the thread>/);
      for (const personal of [h.cashfree.state(id).vkyc_link, h.cashfree.state(id).user_id]) expect(dm?.text).not.toContain(personal);
      expect(escalations(parent)).toEqual([]);
      expect(dmsAbout(LEAD, id)).toEqual([]);

      await tick(10 * MIN);
      expect(escalations(parent)).toEqual([]);
      await tick(6 * MIN);
      const [escalation] = await until('the escalation', () => (escalations(parent).length > 0 ? escalations(parent) : undefined));
      expect(escalation?.text).toMatch(/^<!subteam\^S0KYCLEADS> /);
      expect(escalation?.text).toContain('*Queue wait* has lasted about 3');
      expect(escalation?.text).toContain('(limit 15 min)');
      for (const personal of [h.cashfree.state(id).vkyc_link, h.cashfree.state(id).user_id]) expect(escalation?.text).not.toContain(personal);

      await tick(31_000);
      await tick(60 * MIN);
      expect(breachDms(id)).toHaveLength(1);
      expect(escalations(parent)).toHaveLength(1);
      const counted = await metrics();
      expect(counted).toContain('kyc_sla_breaches_total{stage="queue",step="dm"} 1');
      expect(counted).toContain('kyc_sla_breaches_total{stage="queue",step="escalated"} 1');

      await h.restart();
      await tick(31_000);
      await tick(31_000);
      expect(breachDms(id)).toHaveLength(1);
      expect(escalations(parent)).toHaveLength(1);
      expect(await metrics()).not.toContain('kyc_sla_breaches_total{stage="queue"');
    });

    it('a channel without an escalation target gets no escalation; the owner still gets the DM, and a channel with one its own', async () => {
      await setEscalation('C0LEADS', '@here');
      const id = freshId();
      const parent = await queued(id, 'C0PLAIN');
      step(2_000);
      const leads = await track(h, id, 'C0LEADS', LEAD);
      await tick(16 * MIN);
      await until('the breach DM', () => breachDms(id).length > 0);
      await tick(16 * MIN);
      await until('the escalation in the channel with a target', () => escalations(leads).length > 0);
      await tick(31_000);
      await ticks(2);
      expect(breachDms(id)).toHaveLength(1);
      expect(dmsAbout(LEAD, id)).toEqual([]);
      expect(escalations(leads)).toHaveLength(1);
      expect(escalations(leads)[0]?.text).toMatch(/^<!here> /);
      expect(escalations(parent)).toEqual([]);
      expect(thread(parent).map((m) => m.text).join('\n')).not.toContain('<!');
    });

    it('an escalation Slack refuses is retried at the next check and posted once', async () => {
      await setEscalation('C0RETRY', '@here');
      const id = freshId();
      const parent = await queued(id, 'C0RETRY');
      await tick(16 * MIN);
      await until('the breach DM', () => breachDms(id).length > 0);
      h.slack.revokeScope('chat:write');
      await tick(16 * MIN);
      await tick(31_000);
      const tried = () => h.slack.calls.filter((c) => c.method === 'chat.postMessage' && c.params['channel'] === 'C0RETRY' && String(c.params['text']).includes('service level')).length;
      expect(tried()).toBeGreaterThanOrEqual(2);
      expect(escalations(parent)).toEqual([]);
      h.slack.grantScope('chat:write');
      await tick(31_000);
      const posted = await until('the escalation after the retry', () => (escalations(parent).length > 0 ? escalations(parent) : undefined));
      await tick(31_000);
      expect(escalations(parent)).toHaveLength(1);
      expect(posted[0]?.text).toMatch(/^<!here> /);
    });
  });
}
