import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimView } from '../../sim/slack.js';
import { vkycSubmission as submission } from '../../sim/vkyc-form.js';
import { derivePhoneKeys } from '../../src/vkyc/phone-key.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { query, storedRows } from '../helpers/stored.js';

const PHONE_KEY = 'find-test-phone-key-0123456789abcdef0123456789';
const PHONE = '9876543210';
const OTHER_PHONE = '7012345678';

for (const socketMode of [false, true]) {
  describe(`/kyc find (${socketMode ? 'Socket Mode' : 'HTTP'})`, () => {
    let h: Harness;
    const started: string[] = [];

    beforeAll(async () => {
      h = await startHarness({ socketMode, env: { KYC_PHONE_KEY: PHONE_KEY } });
      // Three starts through the form: the same customer typed two ways, and someone else.
      for (const [phone, id] of [['+91 98765-43210', 'vk_find_a'], ['098765 43210', 'vk_find_b'], [OTHER_PHONE, 'vk_find_other']] as const) {
        const modal = await openModal();
        await h.interact(submission(modal, { phone, name: 'Asha Kulkarni', verificationId: `${id}_${socketMode ? 's' : 'h'}` }));
        await h.slack.waitFor(() => h.slack.messages('C0KYC').find((m) => m.text.includes(`${id}_${socketMode ? 's' : 'h'}`)));
        started.push(`${id}_${socketMode ? 's' : 'h'}`);
      }
    });
    afterAll(async () => {
      await h.close();
    });

    async function openModal(): Promise<SimView> {
      const before = h.slack.modals().length;
      await h.kyc('vkyc');
      return h.slack.waitFor(() => h.slack.modals()[before]);
    }

    async function find(text: string): Promise<string> {
      const answer = await h.kyc(`find ${text}`);
      expect(answer.status).toBe(200);
      return (await h.waitForReply(answer.responseUrl)).join('\n');
    }

    it('finds what was started for a number however it is typed, and nothing else', async () => {
      const [a, b, other] = started;
      for (const typed of ['98765 43210', '+919876543210', '0 98765-43210', '919876543210']) {
        const answer = await find(typed);
        expect(answer).toContain('2 Video KYCs');
        expect(answer).toContain(a);
        expect(answer).toContain(b);
        expect(answer).not.toContain(other);
        expect(answer).not.toMatch(/98765[\s-]?43210/);
      }
      expect(await find(OTHER_PHONE)).toContain(other);
      expect(await find('9123456789')).toContain('has not started a Video KYC for this number');
    });

    it('says plainly what a number must look like, without repeating it', async () => {
      const answer = await find('12345 678');
      expect(answer).toContain('not an Indian mobile number');
      expect(answer).not.toContain('12345');
      const missing = await h.kyc('find');
      expect(missing.body).toContain('/kyc find <phone>');
    });

    it('audits every lookup, and keeps no number in clear anywhere, nor its hash in the audit', async () => {
      const audits = query<Record<string, unknown>>(h.config.databasePath, "SELECT * FROM audit WHERE action = 'phone_lookup'");
      expect(audits.length).toBeGreaterThanOrEqual(6);
      expect(audits[0]).toMatchObject({ actor: 'U0AGENT', channel_id: 'C0KYC', subject: null });
      const hash = derivePhoneKeys(PHONE_KEY).hash(PHONE);
      expect(JSON.stringify(audits)).not.toContain(hash);
      expect(JSON.stringify(audits)).not.toMatch(/98765[\s-]?43210/);

      const stored = storedRows(h.config.databasePath);
      expect(stored).toContain(hash);
      const channel = JSON.stringify(h.slack.messages('C0KYC'));
      const logs = h.logs.join('\n');
      // Whole numbers as typed, not fragments: five digits could match a millisecond timestamp in a stored row.
      for (const secret of [PHONE, '98765 43210', '98765-43210', OTHER_PHONE, PHONE_KEY]) {
        expect(stored).not.toContain(secret);
        expect(channel).not.toContain(secret);
        expect(logs).not.toContain(secret);
      }
    });

    it('says how to turn it on when KYC_PHONE_KEY is not set', async () => {
      await h.restart({ KYC_PHONE_KEY: '' });
      try {
        const answer = await find(PHONE);
        expect(answer).toContain('KYC_PHONE_KEY');
        expect(answer).not.toContain(started[0]);
      } finally {
        await h.restart();
      }
    });
  });
}
