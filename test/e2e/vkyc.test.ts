import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { documentedFault, STANDARD_JOURNEY, type CashfreeFault } from '../../sim/cashfree.js';
import type { SimView } from '../../sim/slack.js';
import { vkycSubmission as submission } from '../../sim/vkyc-form.js';
import { openDatabase } from '../../src/store/open.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { storedRows } from '../helpers/stored.js';
import { decodeQr } from '../helpers/qr.js';
import { threadCodes } from '../helpers/tracking.js';

/** The customer's details typed in the form; none may reach a channel or a log. */
const CUSTOMER = { phone: '+91 98765-43210', normalised: '9876543210', name: 'Asha Kulkarni', email: 'asha.k@example.in' };

function viewText(view: SimView | undefined): string {
  return JSON.stringify(view?.view ?? {});
}

for (const socketMode of [false, true]) {
  describe(`/kyc vkyc (${socketMode ? 'Socket Mode' : 'HTTP'})`, () => {
    let h: Harness;
    let n = 0;
    const freshId = () => `vk_modal_${socketMode ? 's' : 'h'}_${++n}`;

    beforeAll(async () => {
      h = await startHarness({ socketMode });
    });
    afterAll(async () => {
      await h.close();
    });
    beforeEach(() => {
      h.slack.reset();
      h.cashfree.setRejectForBalance(false);
    });

    /** Types `/kyc vkyc` and returns the modal it opened. */
    async function openModal(channelId = 'C0KYC'): Promise<SimView> {
      const before = h.slack.modals().length;
      const answer = await h.kyc('vkyc', { channelId });
      expect(answer.status).toBe(200);
      return h.slack.waitFor(() => h.slack.modals()[before]);
    }

    const current = (view: SimView) => h.slack.views.find((v) => v.id === view.id);
    /** Waits until the modal leaves its "starting…" state and returns its final content. */
    const settled = (view: SimView) =>
      h.slack.waitFor(() => {
        const latest = current(view);
        return latest !== undefined && !viewText(latest).includes('Starting Video KYC') && h.slack.calls.some((c) => c.method === 'views.update') ? latest : undefined;
      });

    const cashfreeOps = () => h.cashfree.requests.filter((r) => r.op === 'user' || r.op === 'vkyc-create').length;

    /** Nothing personal in any call Slack makes visible in a channel, nor in any log line. */
    function expectNoPersonalData(link?: string) {
      // Whole values: a five-digit fragment such as 98765 turns up in millisecond timestamps now and then.
      const secrets = [CUSTOMER.normalised, '98765-43210', '98765 43210', CUSTOMER.name, 'Kulkarni', CUSTOMER.email, ...(link === undefined ? [] : [link])];
      const channelCalls = h.slack.calls.filter((c) => {
        const channel = c.params['channel'] ?? c.params['channel_id'];
        return typeof channel === 'string' && channel.startsWith('C');
      });
      const channelVisible = JSON.stringify([channelCalls, h.slack.responses, h.slack.messages('C0KYC')]);
      const logs = h.logs.join('\n');
      const stored = storedRows(h.config.databasePath);
      for (const secret of secrets) {
        expect(channelVisible).not.toContain(secret);
        expect(logs).not.toContain(secret);
        expect(stored).not.toContain(secret);
      }
    }

    function auditOf(verificationId: string): unknown[] {
      const db = openDatabase(h.config.databasePath);
      try {
        return db.prepare('SELECT actor, channel_id, action, subject, detail FROM audit WHERE subject = ? ORDER BY id').all(verificationId);
      } finally {
        db.close();
      }
    }

    it('opens the modal with the configured defaults and remembers only the channel', async () => {
      const modal = await openModal();
      expect(modal.view['callback_id']).toBe('kyc_vkyc_start');
      expect(JSON.parse(String(modal.view['private_metadata']))).toEqual({ channel: 'C0KYC' });
      const blocks = viewText(modal);
      expect(blocks).toContain('vkyc_user_template_v1');
      expect(blocks).toContain('vkyc_agent_template_v1');
      expect(blocks).toContain('"initial_options":[{"text":{"type":"plain_text","text":"SMS"},"value":"sms"}]');
    });

    it('puts mistakes on their fields without calling Cashfree, then starts, tracks and sends the link privately', async () => {
      const modal = await openModal();
      const before = cashfreeOps();
      const invalid = await h.interact(submission(modal, { phone: '12345', email: 'not-an-email', verificationId: 'bad id!', notify: [] }));
      expect(invalid.status).toBe(200);
      const ack = JSON.parse(invalid.body) as { response_action: string; errors: Record<string, string> };
      expect(ack.response_action).toBe('errors');
      expect(Object.keys(ack.errors).sort()).toEqual(['email', 'notify', 'phone', 'verification_id']);
      expect(ack.errors['phone']).toContain('Indian mobile number');
      expect(cashfreeOps()).toBe(before);

      const id = freshId();
      const valid = await h.interact(
        submission(modal, { phone: CUSTOMER.phone, name: CUSTOMER.name, email: CUSTOMER.email, notify: ['sms', 'whatsapp'], verificationId: id }),
      );
      expect(JSON.parse(valid.body)).toMatchObject({ response_action: 'update' });
      const done = await settled(modal);
      expect(viewText(done)).toContain(`${id}\` is started`);
      expect(viewText(done)).toContain('direct messages');

      // The two Cashfree calls, with exactly the bodies the form asked for.
      const userBody = h.cashfree.bodies('user').at(-1);
      expect(userBody).toEqual({ phone: CUSTOMER.normalised, name: CUSTOMER.name, email: CUSTOMER.email });
      const vkycBody = h.cashfree.bodies('vkyc-create').at(-1);
      expect(vkycBody).toEqual({
        verification_id: id,
        user_reference_id: expect.any(Number),
        user_template: 'vkyc_user_template_v1',
        agent_template: 'vkyc_agent_template_v1',
        notification_types: ['sms', 'whatsapp'],
      });
      expect(h.cashfree.requests.filter((r) => r.op === 'user' || r.op === 'vkyc-create').every((r) => r.headers['x-api-version'] === '2024-12-01')).toBe(true);

      // The QR code in the agent's DM decodes to the customer's link.
      const link = h.cashfree.state(id).vkyc_link;
      const complete = await h.slack.waitFor(() => h.slack.calls.find((c) => c.method === 'files.completeUploadExternal'));
      expect(complete.params['channel_id']).toBe('DU0AGENT');
      expect(String(complete.params['initial_comment'])).toContain(link);
      expect(h.slack.calls.find((c) => c.method === 'conversations.open')?.params['users']).toBe('U0AGENT');
      const upload = h.slack.uploads.at(-1);
      expect(upload === undefined ? undefined : decodeQr(upload.bytes)?.text).toBe(link);

      // The card in the channel, and the poller following it in its thread.
      const parent = h.slack.messages('C0KYC').find((m) => m.thread_ts === undefined && m.text.includes(id));
      expect(parent?.text).toContain('RECEIVED');
      const parentTs = parent?.ts ?? '';
      h.cashfree.advance(id);
      await h.bot.tick();
      h.cashfree.advance(id);
      await h.bot.tick();
      expect(threadCodes(h, 'C0KYC', parentTs)).toEqual(STANDARD_JOURNEY.slice(1, 3).map((s) => `${s.status}/${s.sub_status}`));

      const list = await h.kyc('list');
      expect((await h.waitForReply(list.responseUrl))[0]).toContain(id);
      // The audit knows who started which verification, and nothing about the customer.
      expect(auditOf(id)).toEqual([
        { actor: 'U0AGENT', channel_id: 'C0KYC', action: 'vkyc_started', subject: id, detail: null },
        { actor: 'U0AGENT', channel_id: 'C0KYC', action: 'tracking_started', subject: id, detail: null },
      ]);
      expectNoPersonalData(link);
    });

    it('generates a verification id when the field is left empty', async () => {
      const modal = await openModal();
      await h.interact(submission(modal, { phone: '09876543210' }));
      const done = await settled(modal);
      const id = String(h.cashfree.bodies('vkyc-create').at(-1)?.['verification_id']);
      expect(id).toMatch(/^vkyc_\d{8}_[a-f0-9]{12}$/);
      expect(viewText(done)).toContain(id);
      expect(h.cashfree.bodies('user').at(-1)).toEqual({ phone: '9876543210' });
    });

    it('shows a duplicate verification id on its field in the modal, and starts once it is changed', async () => {
      const taken = freshId();
      h.cashfree.addVerification({ verification_id: taken });
      const modal = await openModal();
      await h.interact(submission(modal, { phone: CUSTOMER.phone, name: CUSTOMER.name, verificationId: taken }));
      const refused = await settled(modal);
      const blocks = refused.view['blocks'] as Array<{ type: string; block_id?: string; elements?: Array<{ text?: string }> }>;
      const field = blocks.findIndex((b) => b.block_id === 'verification_id');
      expect(blocks[field + 1]?.elements?.[0]?.text).toContain('already has a verification with this id');
      expect(viewText(refused)).toContain('"submit"');
      expect(h.slack.messages('C0KYC').some((m) => m.text.includes(taken))).toBe(false);

      h.slack.reset();
      const id = freshId();
      await h.interact(submission({ ...modal, view: refused.view }, { phone: CUSTOMER.phone, name: CUSTOMER.name, verificationId: id }));
      const done = await settled(modal);
      expect(viewText(done)).toContain(`${id}\` is started`);
      expectNoPersonalData(h.cashfree.state(id).vkyc_link);
    });

    it('reuses the user Cashfree already has for this phone', async () => {
      const first = await openModal();
      await h.interact(submission(first, { phone: '7012345678' }));
      await settled(first);
      const userRef = h.cashfree.bodies('vkyc-create').at(-1)?.['user_reference_id'];
      h.slack.reset();
      const second = await openModal();
      await h.interact(submission(second, { phone: '70123 45678' }));
      expect(viewText(await settled(second))).toContain('is started');
      expect(h.cashfree.bodies('vkyc-create').at(-1)?.['user_reference_id']).toBe(userRef);
    });

    const vkycErrors: Array<[string, CashfreeFault, string, string]> = [
      ['409 duplicate id', { kind: 'error', status: 409, body: { type: 'validation_error', code: 'verification_id_already_exists', message: 'verification_id already exists' } }, 'already has a verification', 'verification_id_already_exists'],
      ['400 about a field', { kind: 'error', status: 400, body: { type: 'validation_error', code: 'agent_template_value_invalid', message: 'agent_template is invalid' } }, 'agent_template is invalid', 'agent_template_value_invalid'],
      ['422 insufficient balance', documentedFault('insufficient_balance'), 'balance is too low', 'insufficient_balance'],
      ['401 bad credentials', documentedFault('authentication_failed'), 'CASHFREE_CLIENT_ID', 'authentication_failed'],
      ['403 IP not whitelisted', documentedFault('ip_validation_failed'), 'whitelisted', 'ip_validation_failed'],
      ['429 rate limit', documentedFault('too_many_requests_per_operation', { 'retry-after': '0' }), 'rate limiting', 'too_many_requests_per_operation'],
      ['500 internal error', documentedFault('request_failed'), 'internal error', 'request_failed'],
      ['502 from a proxy', { kind: 'html', status: 502 }, 'trouble', 'http_502'],
    ];
    it.each(vkycErrors)('tells the agent about POST /vkyc %s in plain words, privately', async (_name, fault, words, code) => {
      // A 429 is retried twice by the client before it gives up; nothing else is retried on POST.
      h.cashfree.fail(fault, { op: 'vkyc-create', times: code === 'too_many_requests_per_operation' ? 3 : 1 });
      const modal = await openModal();
      const id = freshId();
      await h.interact(submission(modal, { phone: CUSTOMER.phone, email: CUSTOMER.email, verificationId: id }));
      const done = await settled(modal);
      expect(viewText(done)).toContain(words);
      expect(viewText(done)).toContain(code);
      expect(h.slack.messages('C0KYC').some((m) => m.text.includes(id))).toBe(false);
      expect(h.slack.calls.some((c) => c.method === 'files.completeUploadExternal')).toBe(false);
      expectNoPersonalData();
    });

    it('puts a 400 about the phone from POST /user on the phone field', async () => {
      h.cashfree.fail({ kind: 'error', status: 400, body: { type: 'validation_error', code: 'phone_value_invalid', message: 'phone is not a valid mobile number' } }, { op: 'user' });
      const modal = await openModal();
      await h.interact(submission(modal, { phone: CUSTOMER.phone, verificationId: freshId() }));
      const done = await settled(modal);
      const blocks = done.view['blocks'] as Array<{ block_id?: string; elements?: Array<{ text?: string }> }>;
      const field = blocks.findIndex((b) => b.block_id === 'phone');
      expect(blocks[field + 1]?.elements?.[0]?.text).toContain('phone_value_invalid');
      expect(h.cashfree.requests.at(-1)?.op).toBe('user');
    });

    it('says so when Cashfree rejects the new verification at once for the balance', async () => {
      h.cashfree.setRejectForBalance(true);
      const modal = await openModal();
      const id = freshId();
      await h.interact(submission(modal, { phone: CUSTOMER.phone, verificationId: id }));
      expect(viewText(await settled(modal))).toContain('balance is too low');
      expect(h.slack.messages('C0KYC').some((m) => m.text.includes(id))).toBe(false);
    });

    it('answers with an ephemeral message when the agent closed the modal', async () => {
      h.cashfree.fail(documentedFault('insufficient_balance'), { op: 'vkyc-create' });
      h.slack.fail('views.update', { error: 'not_found' });
      const modal = await openModal();
      await h.interact(submission(modal, { phone: CUSTOMER.phone, verificationId: freshId() }));
      const ephemeral = await h.slack.waitFor(() => h.slack.calls.find((c) => c.method === 'chat.postEphemeral'));
      expect(ephemeral.params).toMatchObject({ channel: 'C0KYC', user: 'U0AGENT' });
      expect(String(ephemeral.params['text'])).toContain('balance is too low');
      expectNoPersonalData();
    });

    it('still sends the link privately when the bot is not in the channel, and says how to follow it', async () => {
      h.slack.removeBot('C0NOTIN');
      const modal = await openModal('C0NOTIN');
      const id = freshId();
      await h.interact(submission(modal, { phone: CUSTOMER.phone, verificationId: id }));
      const done = viewText(await settled(modal));
      expect(done).toContain('is started');
      expect(done).toContain('/invite');
      expect(done).toContain(`/kyc track ${id}`);
      const upload = h.slack.uploads.at(-1);
      expect(upload === undefined ? undefined : decodeQr(upload.bytes)?.text).toBe(h.cashfree.state(id).vkyc_link);
    });

    it('refuses an agent who is not allowed, without opening the modal', async () => {
      await h.restart({ KYC_ALLOWED_USERS: 'U0BOSS' });
      try {
        const answer = await h.kyc('vkyc');
        expect(answer.body).toContain('not allowed');
        expect(h.slack.calls.some((c) => c.method === 'views.open')).toBe(false);
      } finally {
        await h.restart();
      }
    });
  });
}
