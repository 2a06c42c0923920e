import { setTimeout as delay } from 'node:timers/promises';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimUpload, SimView } from '../../sim/slack.js';
import { homeAction } from '../../sim/slack-payloads.js';
import { vkycSubmission } from '../../sim/vkyc-form.js';
import { openDatabase } from '../../src/store/open.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { openHome as openHomeTab, track } from '../helpers/tracking.js';

const MIN = 60_000;
/** Wednesday 25 November 2026, 10:00 in Asia/Kolkata (KYC_TIMEZONE's default): the journeys happen that week. */
const T0 = Date.parse('2026-11-25T04:30:00Z');
/** The next Monday, 09:30 IST: the report covers Monday 23 to Sunday 29 November. */
const MONDAY = Date.parse('2026-11-30T04:00:00Z');
const CHANNEL = 'C0TURN';
/** The customer's details typed in the form: none may reach the report. */
const CUSTOMER = { phone: '9876543210', name: 'Asha Kulkarni', email: 'asha.k@example.in' };

/**
 * Two journeys with known timings. Every tick polls both (POLL_MIN_CHANCE=0), so each change lies between the
 * tick before it and the tick that sees it, and is dated at their midpoint.
 * - the started one (U0AGENT, by /kyc vkyc at T0): first step at 2 min, queued at 5, call at 8, call done at 21,
 *   approved at 81: link 2 min, pre-call 3 min, queue 3 min, call 13 min, review 60 min, end to end 81 min;
 * - the tracked one (U0OTHER, by /kyc track, template unknown): first seen waiting for the link, queued at 11 min
 *   (first step and queue between the same two polls: no link or pre-call figure), call at 18: queue 7 min.
 */
const TICKS_MIN = [1, 3, 4, 6, 7, 9, 10, 12, 17, 19, 20, 22, 80, 82];

for (const socketMode of [false, true]) {
  describe(`turnaround figures and the weekly report (${socketMode ? 'Socket Mode' : 'HTTP'})`, () => {
    let h: Harness;
    let clock = T0;
    const started = `vk_turn_${socketMode ? 's' : 'h'}`;
    const tracked = `vk_turn_tracked_${socketMode ? 's' : 'h'}`;

    beforeAll(async () => {
      h = await startHarness({ socketMode, now: () => clock, timings: { leaseRenewMs: 50 }, env: { KYC_ALLOWED_USERS: 'U0AGENT,U0OTHER' } });
    });
    afterAll(async () => {
      await h.close();
    });

    /** Runs `work` once the bot holds the poll lease again (a jump of the clock expires it until the next renewal). */
    async function whenHeld<T>(work: () => Promise<T | undefined>): Promise<T> {
      for (let attempt = 0; attempt < 400; attempt += 1) {
        const result = await work();
        if (result !== undefined) return result;
        await delay(25);
      }
      throw new Error('the bot never held the poll lease');
    }

    /** A tick at `minutes` after T0 that polls both verifications. */
    async function tickAt(minutes: number): Promise<void> {
      clock = T0 + minutes * MIN;
      const before = [h.cashfree.pollCount(started), h.cashfree.pollCount(tracked)];
      await whenHeld(() => h.bot.tick());
      expect([h.cashfree.pollCount(started), h.cashfree.pollCount(tracked)].every((count, i) => count > (before[i] ?? 0))).toBe(true);
    }

    async function startVkyc(): Promise<void> {
      const before = h.slack.modals().length;
      await h.kyc('vkyc', { channelId: CHANNEL });
      const modal: SimView = await h.slack.waitFor(() => h.slack.modals()[before]);
      const answer = await h.interact(
        vkycSubmission(modal, { phone: CUSTOMER.phone, name: CUSTOMER.name, email: CUSTOMER.email, verificationId: started }),
      );
      expect(answer.status).toBe(200);
      await h.slack.waitFor(() => h.slack.messages(CHANNEL).find((m) => m.thread_ts === undefined && m.text.includes(started)));
    }

    const openHome = (userId: string) => openHomeTab(h, userId);

    const reports = () => h.slack.messages(CHANNEL).filter((m) => m.thread_ts === undefined && (m.files?.length ?? 0) > 0);
    const uploaded = (suffix: string): SimUpload | undefined => h.slack.uploads.find((u) => u.filename?.startsWith('kyc-turnaround-') && u.filename.endsWith(suffix));

    it('measures a journey with known timings, shown on App Home', async () => {
      await startVkyc();
      h.cashfree.addVerification({ verification_id: tracked });
      await track(h, tracked, CHANNEL, 'U0OTHER');
      const changes: Record<number, () => void> = {
        3: () => h.cashfree.setState(started, { status: 'PRE_VIDEO_CALL', sub_status: 'AADHAAR_VERIFICATION_SUCCESS' }),
        6: () => h.cashfree.setState(started, { status: 'PRE_VIDEO_CALL', sub_status: 'USER_QUEUED' }),
        9: () => h.cashfree.setState(started, { status: 'PRE_VIDEO_CALL', sub_status: 'AGENT_ASSIGNED_TO_USER' }),
        12: () => h.cashfree.setState(tracked, { status: 'PRE_VIDEO_CALL', sub_status: 'USER_QUEUED' }),
        19: () => h.cashfree.setState(tracked, { status: 'VIDEO_CALL', sub_status: 'IN_PROGRESS' }),
        22: () => h.cashfree.setState(started, { status: 'VIDEO_CALL', sub_status: 'CALL_COMPLETED' }),
        82: () => h.cashfree.setState(started, { status: 'AUDITOR_REVIEWED', sub_status: 'AUDITOR_APPROVED' }),
      };
      for (const minutes of TICKS_MIN) {
        changes[minutes]?.();
        await tickAt(minutes);
      }

      clock = T0 + 90 * MIN;
      const home = JSON.stringify((await openHome('U0AGENT')).view);
      expect(home).toContain('Turnaround, last 7 days');
      const mine = home.slice(home.indexOf('*Yours*'), home.indexOf("*The team's*"));
      expect(mine).toContain('Link → first step: p50 2 min, p90 2 min (1)');
      expect(mine).toContain('Pre-call checks: p50 3 min, p90 3 min (1)');
      expect(mine).toContain('Queue wait: p50 3 min, p90 3 min (1)');
      expect(mine).toContain('Call → agent decision: p50 13 min, p90 13 min (1)');
      expect(mine).toContain('Review → auditor decision: p50 1 h, p90 1 h (1)');
      expect(mine).toContain('End to end: p50 1 h 21 min, p90 1 h 21 min (1)');
      const team = home.slice(home.indexOf("*The team's*"));
      // Nearest rank over [3 min, 7 min]: p50 is the first, p90 the second.
      expect(team).toContain('Queue wait: p50 3 min, p90 7 min (2)');
      expect(team).toContain('`vkyc_user_template_v1`');
      expect(team).toContain('_unknown template_: Queue wait 7 min / 7 min (1)');
      expect(home).toContain('Observation-based');

      // Another period: the select republishes the tab with that period's figures.
      const before = h.slack.views.length;
      await h.interact(pickPeriod('U0OTHER', '1'));
      const other = await h.slack.waitFor(() => h.slack.views.slice(before).find((v) => v.userId === 'U0OTHER'));
      const otherText = JSON.stringify(other.view);
      expect(otherText).toContain('Turnaround, last day');
      expect(otherText.slice(otherText.indexOf('*Yours*'), otherText.indexOf("*The team's*"))).toContain('Queue wait: p50 7 min, p90 7 min (1)');
    });

    it('shows no figures to someone outside the access list, and audits the refusal', async () => {
      const before = h.slack.views.length;
      await h.interact(pickPeriod('U0STRANGER', '30'));
      const refused = await h.slack.waitFor(() => h.slack.views.slice(before).find((v) => v.userId === 'U0STRANGER'));
      expect(JSON.stringify(refused.view)).toContain('allowed list');
      expect(JSON.stringify(refused.view)).not.toContain('Turnaround');
      const db = openDatabase(h.config.databasePath);
      try {
        expect(db.prepare("SELECT subject FROM audit WHERE actor = 'U0STRANGER' AND action = 'access_refused'").all()).toEqual([{ subject: 'home_period' }]);
      } finally {
        db.close();
      }
    });

    /** Picking a period in the Home tab's menu, as Slack sends it. */
    function pickPeriod(userId: string, days: string): Record<string, unknown> {
      return homeAction(userId, { blocks: [] }, {
        type: 'static_select',
        block_id: 'kyc_home_turnaround',
        action_id: 'kyc_home_turnaround_period',
        selected_option: { text: { type: 'plain_text', text: 'Turnaround' }, value: days },
      });
    }

    it('posts the week in one message with a chart and a CSV, once, and not again after a restart', async () => {
      clock = MONDAY;
      // Slack refuses the first try: the mark is cleared, and the next run that week posts it.
      h.slack.fail('files.completeUploadExternal', { error: 'not_in_channel' });
      expect(await whenHeld(() => h.bot.report())).toBe(0);
      expect(reports()).toHaveLength(0);
      expect(await whenHeld(() => h.bot.report())).toBe(1);
      const [report] = reports();
      expect(reports()).toHaveLength(1);
      const shown = JSON.stringify(report?.blocks);
      expect(shown).toContain('Video KYC turnaround, 23 Nov 2026 to 29 Nov 2026');
      expect(shown).toContain('*2 verifications* had a stage end or a decision this week.');
      expect(shown).toContain('Link → first step: p50 2 min, p90 2 min (1)');
      expect(shown).toContain('Queue wait: p50 3 min, p90 7 min (2)');
      expect(shown).toContain('End to end: p50 1 h 21 min, p90 1 h 21 min (1)');
      expect(shown).toContain('<@U0AGENT>');
      expect(shown).toContain('<@U0OTHER>: Queue wait 7 min / 7 min (1)');
      expect(report?.files).toHaveLength(2);

      const chart = uploaded('.png');
      expect(chart?.filename).toBe('kyc-turnaround-2026-11-23.png');
      expect(chart?.bytes.length).toBe(chart?.declaredLength);
      const png = PNG.sync.read(chart?.bytes ?? Buffer.alloc(0));
      expect([png.width, png.height]).toEqual([720, 360]);
      expect(chart?.altText).toContain('Queue wait: p50 3 min, p90 7 min (2)');
      expect(chart?.altText).toContain('Review → auditor decision: p50 1 h, p90 1 h (1)');

      const csvText = (uploaded('.csv')?.bytes ?? Buffer.alloc(0)).toString('utf8').replace(/^\uFEFF/, '');
      const [head, ...rows] = csvText.trim().split('\r\n').map((line) => line.split(','));
      const byId = new Map(rows.map((row) => [row[0], Object.fromEntries((head ?? []).map((column, i) => [column, row[i]]))]));
      expect(byId.get(started)).toEqual({
        verification_id: started,
        template: 'vkyc_user_template_v1',
        owner: 'U0AGENT',
        outcome: 'approved',
        ended_at_utc: new Date(T0 + 82 * MIN).toISOString(),
        link_to_first_step_s: '120',
        pre_call_s: '180',
        queue_wait_s: '180',
        call_to_agent_decision_s: '780',
        review_to_auditor_decision_s: '3600',
        end_to_end_s: '4860',
      });
      expect(byId.get(tracked)).toMatchObject({ template: '', owner: 'U0OTHER', outcome: 'in_progress', queue_wait_s: '420', link_to_first_step_s: '' });
      expect(rows).toHaveLength(2);
      for (const secret of [CUSTOMER.phone, '98765', CUSTOMER.name, 'Kulkarni', CUSTOMER.email, 'http', 'forms']) {
        expect(csvText).not.toContain(secret);
        expect(shown).not.toContain(secret);
      }

      // Once per week and channel: again now, and again after a restart, nothing more is posted.
      expect(await whenHeld(() => h.bot.report())).toBe(0);
      await h.restart();
      expect(await whenHeld(() => h.bot.report())).toBe(0);
      expect(reports()).toHaveLength(1);
      // The week after had no stage and no decision here: nothing to report.
      clock = MONDAY + 7 * 24 * 60 * MIN;
      expect(await whenHeld(() => h.bot.report())).toBe(0);
      expect(reports()).toHaveLength(1);
    });
  });
}
