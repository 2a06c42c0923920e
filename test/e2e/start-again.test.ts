import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SimMessage, SimView } from '../../sim/slack.js';
import { vkycSubmission } from '../../sim/vkyc-form.js';
import { buttonClick, checked, viewSubmission } from '../../sim/slack-payloads.js';
import { openDatabase } from '../../src/store/open.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { threadCodes, tickUntil } from '../helpers/tracking.js';

const viewText = (view: SimView | undefined) => JSON.stringify(view?.view ?? {});

/** A click on the Start again button of a card, as Slack sends it. */
function clickStartAgain(card: SimMessage, verificationId: string, responseUrl: string, userId = 'U0AGENT') {
  return buttonClick(card, { actionId: 'kyc_start_again', blockId: 'kyc_card_restart', value: verificationId, text: { type: 'plain_text', text: 'Start again' } }, { responseUrl, userId });
}

/** The confirmation submitted with these notification choices. */
function confirm(view: SimView, notify: string[] = ['sms'], userId = 'U0AGENT'): Record<string, unknown> {
  return viewSubmission(view, { notify: { value: checked(notify) } }, userId);
}

for (const socketMode of [false, true]) {
  describe(`Start again (${socketMode ? 'Socket Mode' : 'HTTP'})`, () => {
    let h: Harness;
    let n = 0;
    const freshId = () => `vk_again_${socketMode ? 's' : 'h'}_${++n}`;

    beforeAll(async () => {
      h = await startHarness({ socketMode, env: { KYC_ALLOWED_USERS: 'U0AGENT,U0LEAD' } });
    });
    afterAll(async () => {
      await h.close();
    });
    beforeEach(() => {
      h.slack.reset();
    });

    const cardIn = (channel: string, id: string) => h.slack.messages(channel).find((m) => m.user === undefined && m.text.includes(`Video KYC ${id}:`));
    const blocksOf = (card: SimMessage) => JSON.stringify(h.slack.messages(card.channel).find((m) => m.ts === card.ts)?.blocks);

    /** Starts a Video KYC with /kyc vkyc (Cashfree then knows its user) and returns its card. */
    async function startWithForm(phone: string): Promise<{ id: string; card: SimMessage }> {
      const before = h.slack.modals().length;
      await h.kyc('vkyc');
      const form = await h.slack.waitFor(() => h.slack.modals()[before]);
      const id = freshId();
      await h.interact(vkycSubmission(form, { phone, verificationId: id }));
      // The form's outcome comes once the card is posted and recorded.
      await h.slack.waitFor(() => viewText(h.slack.views.find((v) => v.id === form.id)).includes('is started'));
      const card = await h.slack.waitFor(() => cardIn('C0KYC', id));
      return { id, card };
    }

    /** Cashfree reports the verification expired; the poller ends tracking and the card offers Start again. */
    async function expire(id: string, card: SimMessage): Promise<void> {
      h.cashfree.setState(id, { status: 'EXPIRED', sub_status: 'VKYC_EXPIRED' });
      await tickUntil(h, 'the card offering Start again', () => blocksOf(card).includes('kyc_start_again'));
    }

    async function click(card: SimMessage, id: string, userId = 'U0AGENT'): Promise<{ modal: SimView | undefined; responseUrl: string }> {
      const before = h.slack.modals().length;
      const responseUrl = h.slack.responseUrl();
      const answer = await h.interact(clickStartAgain(card, id, responseUrl, userId));
      expect(answer.status).toBe(200);
      // The click opens the confirmation, or is answered privately instead.
      const answered = await h.slack.waitFor(() => h.slack.modals()[before] ?? (h.repliesTo(responseUrl).length > 0 ? 'replied' : undefined));
      return { modal: answered === 'replied' ? undefined : answered, responseUrl };
    }

    const settled = (view: SimView) =>
      h.slack.waitFor(() => {
        const latest = h.slack.views.find((v) => v.id === view.id);
        // The confirmation is replaced, by views.update once Cashfree answered, with a view that has nothing to submit.
        return latest !== undefined && latest.view['submit'] === undefined && !viewText(latest).includes('Starting') ? latest : undefined;
      });

    it('starts the same customer again in the same thread, sends the new link privately and refuses a double start', async () => {
      const { id, card } = await startWithForm('9811122233');
      await expire(id, card);
      const userId = h.cashfree.state(id).user_id;

      // Two agents open the confirmation before either submits it.
      const first = await click(card, id);
      const second = await click(card, id, 'U0LEAD');
      expect(first.modal).toBeDefined();
      expect(second.modal).toBeDefined();
      if (first.modal === undefined || second.modal === undefined) return;
      expect(viewText(first.modal)).toContain(String(userId));
      const creates = h.cashfree.bodies('vkyc-create').length;
      // Both confirm at once: one restart, whichever process or click comes second.
      const [a, b] = await Promise.all([h.interact(confirm(first.modal)), h.interact(confirm(second.modal, ['sms'], 'U0LEAD'))]);
      expect(JSON.parse(a.body)).toMatchObject({ response_action: 'update' });
      expect(JSON.parse(b.body)).toMatchObject({ response_action: 'update' });
      const outcomes = [viewText(await settled(first.modal)), viewText(await settled(second.modal))];
      expect(outcomes.filter((t) => t.includes('is started again as'))).toHaveLength(1);
      expect(outcomes.filter((t) => /already (being )?started again/.test(t))).toHaveLength(1);
      expect(h.cashfree.bodies('vkyc-create')).toHaveLength(creates + 1);
      const body = h.cashfree.bodies('vkyc-create').at(-1);
      expect(body).toMatchObject({ user_id: userId, notification_types: ['sms'] });
      const newId = String(body?.['verification_id']);
      expect(newId).not.toBe(id);

      // The new card is in the old card's thread, and so are its replies.
      const newCard = await h.slack.waitFor(() => cardIn('C0KYC', newId));
      expect(newCard.thread_ts).toBe(card.ts);
      h.cashfree.advance(newId);
      await tickUntil(h, 'the new verification observed', () => threadCodes(h, 'C0KYC', card.ts).includes('PRE_VIDEO_CALL/AADHAAR_VERIFICATION_SUCCESS'));
      expect(h.slack.thread('C0KYC', newCard.ts)).toEqual([]);

      // The old card says where it went, and offers no second start.
      await h.slack.waitFor(() => blocksOf(card).includes(newId));
      expect(blocksOf(card)).toContain('Started again as');
      expect(blocksOf(card)).not.toContain('kyc_start_again');

      // The new link went to the agent who won the claim, by DM; never to the channel.
      const link = h.cashfree.state(newId).vkyc_link;
      const dm = h.slack.calls.filter((c) => c.method === 'files.completeUploadExternal' && String(c.params['initial_comment']).includes(link));
      expect(dm).toHaveLength(1);
      expect(String(dm[0]?.params['channel_id'])).toMatch(/^DU0(AGENT|LEAD)$/);
      expect(JSON.stringify(h.slack.messages('C0KYC'))).not.toContain(link);

      // A later click, on a stale copy of the card, says it is done.
      const again = await click(card, id);
      expect(again.modal).toBeUndefined();
      expect((await h.waitForReply(again.responseUrl))[0]).toContain(`was already started again as \`${newId}\``);

      const db = openDatabase(h.config.databasePath);
      try {
        expect(db.prepare('SELECT from_verification_id, to_verification_id, outcome FROM restarts WHERE from_verification_id = ?').all(id)).toEqual([
          { from_verification_id: id, to_verification_id: newId, outcome: 'started' },
        ]);
        expect(db.prepare("SELECT subject, detail FROM audit WHERE action = 'vkyc_restarted'").all()).toContainEqual({ subject: newId, detail: `from ${id}` });
        expect(db.prepare('SELECT thread_ts FROM trackings WHERE verification_id = ?').get(newId)).toEqual({ thread_ts: card.ts });
      } finally {
        db.close();
      }
    });

    it('gives the claim back when Cashfree refuses, so the next try can start it', async () => {
      const { id, card } = await startWithForm('9822233344');
      await expire(id, card);
      const opened = await click(card, id);
      if (opened.modal === undefined) throw new Error('no confirmation opened');
      h.cashfree.setRejectForBalance(true);
      await h.interact(confirm(opened.modal));
      expect(viewText(await settled(opened.modal))).toContain('balance is too low');
      h.cashfree.setRejectForBalance(false);
      const retry = await click(card, id);
      if (retry.modal === undefined) throw new Error('no confirmation opened on the retry');
      await h.interact(confirm(retry.modal));
      expect(viewText(await settled(retry.modal))).toContain('is started again as');
    });

    it('offers nothing to start again for a card that is still live, or for someone off the allowed list', async () => {
      const { id, card } = await startWithForm('9833344455');
      expect(blocksOf(card)).not.toContain('kyc_start_again');
      const early = await click(card, id);
      expect(early.modal).toBeUndefined();
      expect((await h.waitForReply(early.responseUrl))[0]).toContain('cannot be started again');

      await expire(id, card);
      const refused = await click(card, id, 'U0STRANGER');
      expect(refused.modal).toBeUndefined();
      expect((await h.waitForReply(refused.responseUrl))[0]).toContain('not allowed');
      const db = openDatabase(h.config.databasePath);
      try {
        expect(db.prepare("SELECT actor, subject FROM audit WHERE action = 'access_refused'").all()).toContainEqual({ actor: 'U0STRANGER', subject: 'button:start_again' });
      } finally {
        db.close();
      }
    });
  });
}
