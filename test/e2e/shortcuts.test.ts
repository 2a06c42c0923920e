import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SimView } from '../../sim/slack.js';
import { vkycSubmission } from '../../sim/vkyc-form.js';
import { viewSubmission } from '../../sim/slack-payloads.js';
import { openDatabase } from '../../src/store/open.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { storedRows } from '../helpers/stored.js';
import { manifestBotScopes } from '../helpers/manifest.js';
import { advanceAndObserve, settledThread } from '../helpers/tracking.js';

/** A customer's details an agent might paste next to the ids: none may be stored, logged or echoed. */
const PHONE = '+91 98765-43210';
const EMAIL = 'asha.k@example.in';

const viewText = (view: SimView | undefined) => JSON.stringify(view?.view ?? {});

/** A view_submission of the track-message modal with these ids still ticked in each checkbox group. */
function trackSubmission(view: SimView, ticked: Record<string, string[]>, userId = 'U0AGENT'): Record<string, unknown> {
  const values = Object.fromEntries(
    Object.entries(ticked).map(([block, ids]) => [
      block,
      { ids: { type: 'checkboxes', selected_options: ids.map((id) => ({ text: { type: 'plain_text', text: id }, value: id })) } },
    ]),
  );
  return viewSubmission(view, values, userId);
}

function auditActions(h: Harness, action: string): unknown[] {
  const db = openDatabase(h.config.databasePath);
  try {
    return db.prepare('SELECT actor, channel_id, subject FROM audit WHERE action = ? ORDER BY id').all(action);
  } finally {
    db.close();
  }
}

for (const socketMode of [false, true]) {
  const mode = socketMode ? 'Socket Mode' : 'HTTP';
  describe(`shortcuts (${mode})`, () => {
    let h: Harness;
    let n = 0;
    const fresh = (stem: string) => `${stem}_${socketMode ? 's' : 'h'}${++n}`;

    beforeAll(async () => {
      h = await startHarness({
        socketMode,
        env: { KYC_ALLOWED_USERS: 'U0AGENT,U0LEAD', KYC_ALLOWED_CHANNELS: 'C0KYC,C0OTHER,C0GONE,GPRIVATE1' },
      });
    });
    afterAll(async () => {
      await h.close();
    });
    beforeEach(() => {
      h.slack.reset();
    });

    /** Runs the message shortcut on a message and returns the modal it opened. */
    async function runOnMessage(channel: string, ts: string, userId = 'U0AGENT'): Promise<SimView> {
      const before = h.slack.modals().length;
      const answer = await h.interact(h.slack.messageShortcut(channel, ts, 'kyc_track_message', { userId }));
      expect(answer.status).toBe(200);
      return h.slack.waitFor(() => h.slack.modals()[before]);
    }

    const current = (view: SimView) => h.slack.views.find((v) => v.id === view.id);
    const settled = (view: SimView) => h.slack.waitFor(() => (viewText(current(view)).includes('In the message') ? current(view) : undefined));

    it('finds the ids in a noisy message, confirms them and opens each card in its thread', async () => {
      const [a, b, c, dropped] = [fresh('vk_msg_a'), fresh('vk_msg_b'), fresh('vk_msg_c'), fresh('vk_msg_d')];
      h.cashfree.addVerification({ verification_id: a });
      h.cashfree.addVerification({ verification_id: b });
      const cRef = h.cashfree.addVerification({ verification_id: c });
      h.cashfree.addVerification({ verification_id: dropped });
      const unknown = fresh('vk_nobody');
      const message = h.slack.userMessage(
        'C0KYC',
        `Hi team, customer ${PHONE} (${EMAIL}) says her link expired :cry: -- ids: *${a}*, \`${b}\`, ref:${cRef}; also ${unknown} and <https://dash.example/x|${dropped}>. Thanks!`,
      );
      const modal = await runOnMessage('C0KYC', message.ts);
      const shown = viewText(modal);
      for (const id of [a, b, `ref:${cRef}`, unknown, dropped]) expect(shown).toContain(id);
      expect(shown).not.toContain('98765');
      expect(shown).not.toContain(EMAIL);
      expect(JSON.parse(String(modal.view['private_metadata']))).toEqual({ channel: 'C0KYC', thread: message.ts });

      // The agent unticks one id; the rest are tracked in the message's thread.
      const ack = await h.interact(trackSubmission(modal, { ids_0: [a, b, `ref:${cRef}`, unknown] }));
      expect(ack.status).toBe(200);
      const outcome = viewText(await settled(modal));
      expect(outcome).toContain(`\`${a}\`: tracked`);
      expect(outcome).toContain(`\`${c}\`: tracked`);
      expect(outcome).toContain(`\`${unknown}\`: Cashfree knows no such verification`);
      expect(outcome).not.toContain(dropped);

      const inThread = h.slack.thread('C0KYC', message.ts);
      const cards = inThread.filter((m) => m.text.startsWith(':') && m.text.includes('Video KYC'));
      expect(cards.map((m) => /Video KYC (\S+):/.exec(m.text)?.[1]).sort()).toEqual([a, b, c].sort());
      expect(h.slack.messages('C0KYC').filter((m) => m.thread_ts === undefined && m.user === undefined)).toEqual([]);

      // Status changes go in the same thread, not under the card.
      await advanceAndObserve(h, a);
      const codes = await settledThread(h, 'C0KYC', message.ts, 4);
      expect(codes).toContain('PRE_VIDEO_CALL/AADHAAR_VERIFICATION_SUCCESS');
      const card = cards.find((m) => m.text.includes(a));
      expect(card === undefined ? [] : h.slack.thread('C0KYC', card.ts)).toEqual([]);

      expect(auditActions(h, 'tracking_started').map((r) => (r as { subject: string }).subject)).toEqual(expect.arrayContaining([a, b, c]));
      const everything = [h.logs.join('\n'), storedRows(h.config.databasePath), JSON.stringify(h.slack.calls)].join('\n');
      expect(everything).not.toContain('98765');
      expect(everything).not.toContain(EMAIL);
      expect(everything).not.toContain('says her link expired');
    });

    it('opens the cards in the parent thread when the message is itself a reply', async () => {
      const id = fresh('vk_reply');
      h.cashfree.addVerification({ verification_id: id });
      const parent = h.slack.userMessage('C0KYC', 'New requests below');
      const reply = h.slack.userMessage('C0KYC', `please track ${id}`, { threadTs: parent.ts });
      const modal = await runOnMessage('C0KYC', reply.ts);
      await h.interact(trackSubmission(modal, { ids_0: [id] }));
      await settled(modal);
      expect(h.slack.thread('C0KYC', parent.ts).some((m) => m.text.includes(id) && m.user === undefined)).toBe(true);
      expect(h.slack.thread('C0KYC', reply.ts)).toEqual([]);
    });

    it('says per id why a card could not be opened, and gives the tracking back', async () => {
      const id = fresh('vk_nobot');
      h.cashfree.addVerification({ verification_id: id });
      const message = h.slack.userMessage('C0OTHER', `track ${id} please`);
      h.slack.removeBot('C0OTHER');
      try {
        const modal = await runOnMessage('C0OTHER', message.ts);
        await h.interact(trackSubmission(modal, { ids_0: [id] }));
        expect(viewText(await settled(modal))).toContain(`\`${id}\`: :warning: The bot is not in this channel`);
      } finally {
        h.slack.addBot('C0OTHER');
      }
      const db = openDatabase(h.config.databasePath);
      try {
        expect(db.prepare('SELECT count(*) AS n FROM trackings WHERE verification_id = ?').get(id)).toEqual({ n: 0 });
      } finally {
        db.close();
      }
    });

    it('says plainly when a message names no id, and offers nothing to submit', async () => {
      const message = h.slack.userMessage('C0KYC', `customer ${PHONE} called again, no ids yet`);
      const modal = await runOnMessage('C0KYC', message.ts);
      expect(viewText(modal)).toContain('No verification ids in this message');
      expect(modal.view['submit']).toBeUndefined();
    });

    it('bounds the list at 20 and says how many were left out; unticking all is an error on the field', async () => {
      const ids = Array.from({ length: 23 }, (_, i) => `vk_many_${i}`);
      const message = h.slack.userMessage('C0KYC', ids.join(' '));
      const modal = await runOnMessage('C0KYC', message.ts);
      const shown = viewText(modal);
      expect(shown).toContain('vk_many_19');
      expect(shown).not.toContain('vk_many_20');
      expect(shown).toContain('3 more were left out');
      const ack = await h.interact(trackSubmission(modal, { ids_0: [], ids_1: [] }));
      expect(JSON.parse(ack.body)).toEqual({ response_action: 'errors', errors: { ids_0: 'Tick at least one id, or close this form.' } });
    });

    it('refuses someone off the allowed list, privately, and audits it', async () => {
      const message = h.slack.userMessage('C0KYC', 'vk_refused_1');
      const payload = h.slack.messageShortcut('C0KYC', message.ts, 'kyc_track_message', { userId: 'U0STRANGER' });
      await h.interact(payload);
      const reply = await h.waitForReply(String(payload['response_url']));
      expect(reply[0]).toContain('not allowed');
      expect(h.slack.modals().some((m) => m.triggerId === payload['trigger_id'])).toBe(false);
      expect(auditActions(h, 'access_refused')).toContainEqual({ actor: 'U0STRANGER', channel_id: 'C0KYC', subject: 'shortcut:track_message' });
    });

    describe('the global shortcut', () => {
      async function openForm(userId = 'U0AGENT'): Promise<SimView> {
        const before = h.slack.modals().length;
        const answer = await h.interact(h.slack.globalShortcut('kyc_start_vkyc', { userId }));
        expect(answer.status).toBe(200);
        return h.slack.waitFor(() => h.slack.modals()[before]);
      }

      it('opens the /kyc vkyc form with a channel picker and starts in the picked channel', async () => {
        const form = await openForm();
        expect(form.view['callback_id']).toBe('kyc_vkyc_start');
        expect(JSON.parse(String(form.view['private_metadata']))).toEqual({});
        expect(viewText(form)).toContain('"type":"conversations_select","action_id":"value","default_to_current_conversation":false');
        const id = fresh('vk_global');
        const ack = await h.interact(vkycSubmission(form, { phone: '9812345678', verificationId: id, channel: 'C0OTHER' }));
        expect(JSON.parse(ack.body)).toMatchObject({ response_action: 'update' });
        const card = await h.slack.waitFor(() => h.slack.messages('C0OTHER').find((m) => m.text.includes(id)));
        expect(card.thread_ts).toBeUndefined();
        expect(h.slack.messages('C0KYC').some((m) => m.text.includes(id))).toBe(false);
        await h.slack.waitFor(() => h.slack.uploads.length > 0);
        await advanceAndObserve(h, id);
        expect(await settledThread(h, 'C0OTHER', card.ts, 1)).toEqual(['PRE_VIDEO_CALL/AADHAAR_VERIFICATION_SUCCESS']);
        expect(JSON.stringify(h.slack.messages('C0OTHER'))).not.toContain('9812345678');
      });

      it('puts a channel the bot cannot post in, or one off the allowed list, on the picker without calling Cashfree', async () => {
        h.slack.removeBot('C0GONE');
        h.slack.removeBot('GPRIVATE1');
        const before = h.cashfree.requests.length;
        for (const [channel, words] of [
          ['C0GONE', 'The bot is not in that channel'],
          ['GPRIVATE1', 'The bot is not in that channel'],
          ['C0ELSEWHERE', 'not allowed in that channel'],
          [undefined, 'Choose a channel'],
        ] as const) {
          const form = await openForm();
          const ack = await h.interact(vkycSubmission(form, { phone: '9812345678', ...(channel === undefined ? {} : { channel }) }));
          const body = JSON.parse(ack.body) as { response_action: string; errors: Record<string, string> };
          expect(body.response_action).toBe('errors');
          expect(body.errors['channel']).toContain(words);
        }
        expect(h.cashfree.requests.length).toBe(before);
        expect(auditActions(h, 'access_refused')).toContainEqual({ actor: 'U0AGENT', channel_id: 'C0ELSEWHERE', subject: 'vkyc_submit_channel' });
        h.slack.addBot('C0GONE');
        h.slack.addBot('GPRIVATE1');
      });

      it('shows someone off the allowed list a refusal, and audits it', async () => {
        const form = await openForm('U0STRANGER');
        expect(viewText(form)).toContain('not allowed to use this bot');
        expect(form.view['submit']).toBeUndefined();
        expect(auditActions(h, 'access_refused')).toContainEqual({ actor: 'U0STRANGER', channel_id: null, subject: 'shortcut:start_vkyc' });
      });
    });
  });
}

describe('the global shortcut on an install without channels:read', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ slackScopes: manifestBotScopes().filter((scope) => scope !== 'channels:read') });
  });
  afterAll(async () => {
    await h.close();
  });

  it('says on the picker that the bot lacks a permission, as Slack answers missing_scope', async () => {
    await h.interact(h.slack.globalShortcut('kyc_start_vkyc'));
    const form = await h.slack.waitFor(() => h.slack.modals()[0]);
    const ack = await h.interact(vkycSubmission(form, { phone: '9812345678', channel: 'C0KYC' }));
    const body = JSON.parse(ack.body) as { errors: Record<string, string> };
    expect(body.errors['channel']).toContain('lacks a Slack permission');
    expect(h.cashfree.requests.filter((r) => r.op === 'user' || r.op === 'vkyc-create')).toEqual([]);
  });
});
