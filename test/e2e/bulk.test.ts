import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { bulkReviewClick, bulkSubmission } from '../../sim/bulk-form.js';
import { documentedFault } from '../../sim/cashfree.js';
import { shownText, type SimMessage } from '../../sim/slack.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { query, storedRows } from '../helpers/stored.js';

const PHONE_KEY = 'bulk-test-phone-key-0123456789abcdef0123456789';

/** Six customers, three bad rows (a short phone, a bad email, a repeated phone) and a header; quoted fields with commas. */
const CUSTOMERS = [
  { phone: '9812300001', name: 'Ravi, Kumar', email: 'ravi.k@example.in' },
  { phone: '9812300002', name: 'Meera Iyer', email: '' },
  { phone: '9812300003', name: '', email: 'anand.r@example.in' },
  { phone: '9812300004', name: 'Fatima "Fizz" Shaikh', email: '' },
  { phone: '9812300005', name: 'Joseph Dsouza', email: 'joseph.d@example.in' },
  { phone: '9812300006', name: 'Lakshmi Narayan', email: '' },
];
const csvField = (value: string) => (/[",]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
const CSV = [
  'phone,name,email',
  ...CUSTOMERS.slice(0, 2).map((c) => [c.phone, c.name, c.email].map(csvField).join(',')),
  '12345,Short Phone,',
  ...CUSTOMERS.slice(2, 4).map((c) => [c.phone, c.name, c.email].map(csvField).join(',')),
  '9812300007,Bad Email,not-an-email',
  `+91 ${CUSTOMERS[0]?.phone ?? ''},Ravi Again,`,
  ...CUSTOMERS.slice(4).map((c) => [c.phone, c.name, c.email].map(csvField).join(',')),
].join('\r\n');
/** Spreadsheet rows of the bad ones, header being row 1. */
const BAD_ROWS = [4, 7, 8];
/** Whole values only: a fragment of digits could match a millisecond timestamp in a stored row or a log line. */
const PERSONAL = [...CUSTOMERS.flatMap((c) => [c.phone, c.name, c.email]), '9812300007', 'Short Phone', 'Bad Email', 'not-an-email', 'Ravi Again'].filter(
  (v) => v !== '',
);

for (const socketMode of [false, true]) {
  describe(`bulk starts from a CSV (${socketMode ? 'Socket Mode' : 'HTTP'})`, () => {
    let h: Harness;

    beforeAll(async () => {
      h = await startHarness({ socketMode, env: { KYC_PHONE_KEY: PHONE_KEY } });
    });
    afterAll(async () => {
      await h.close();
    });
    beforeEach(() => {
      h.slack.reset();
    });

    const dm = () => h.slack.messages('DU0AGENT');
    /** The bot's answer to the next file shared, after the DM's first `after` messages. */
    const summary = (after: number) =>
      h.slack.waitFor(() => dm().slice(after).find((m) => m.text.includes('ready to start') || m.text.includes('No row')), 10_000);

    /** Shares the CSV in the agent's DM, clicks the button and submits the modal; returns the batch card. */
    async function startBatch(csv: string, channel: string): Promise<{ card: SimMessage; summary: SimMessage }> {
      const before = dm().length;
      const { event } = h.slack.shareFile({ name: 'applicants.csv', content: csv });
      await h.event(event);
      const read = await h.slack.waitFor(() => dm().slice(before).find((m) => m.text.includes('ready to start')), 10_000);
      const modals = h.slack.modals().length;
      await h.interact(bulkReviewClick(read, h.slack.responseUrl()));
      const modal = await h.slack.waitFor(() => h.slack.modals()[modals]);
      const ack = await h.interact(bulkSubmission(modal, { channel, notify: ['sms', 'email'] }));
      expect(JSON.parse(ack.body)).toMatchObject({ response_action: 'update' });
      const card = await h.slack.waitFor(() => h.slack.messages(channel).find((m) => m.text.includes('Bulk Video KYC start')), 10_000);
      return { card, summary: read };
    }

    const cardText = (card: SimMessage) => h.slack.messages(card.channel).find((m) => m.ts === card.ts)?.text ?? '';

    it('lists bad rows by number and reason, starts the rest once confirmed, and reports each failure in the thread', async () => {
      const creates = () => h.cashfree.bodies('vkyc-create').length;
      const startCreates = creates();
      const { card, summary: read } = await startBatch(CSV, 'C0BULK');

      // The summary in the DM: counts, every bad row by number and reason, never a value.
      const listed = shownText(read);
      expect(listed).toContain('6 rows are ready to start; 3 rows have problems');
      expect(listed).toContain('Row 4: the phone is not an Indian mobile number');
      expect(listed).toContain('Row 7: the email is not an address');
      expect(listed).toContain('Row 8: the same phone as row 2');
      expect(listed).toContain('Nothing is started until you confirm');
      for (const secret of [...PERSONAL, '12345']) expect(listed).not.toContain(secret);

      // The file is read with the bot token, then the bot tries to delete it: Slack refuses a user's file to a bot.
      expect(h.slack.calls.filter((c) => c.method === 'files.info')).toHaveLength(1);
      expect(h.slack.calls.find((c) => c.method === 'files.delete')?.params['file']).toMatch(/^F0USR/);
      expect(listed).toContain('Delete the file yourself');
      expect(listed).toContain('cant_delete_file');

      await h.slack.waitFor(() => (cardText(card).includes('Remaining: *0*') && cardText(card).includes(':white_check_mark:') ? true : undefined), 15_000);
      expect(cardText(card)).toContain('Started: *6* · Failed: *3*');
      expect(creates() - startCreates).toBe(6);
      const ids = h.cashfree.bodies('vkyc-create').slice(startCreates).map((b) => String(b['verification_id']));
      expect(new Set(ids).size).toBe(6);
      expect(h.cashfree.bodies('vkyc-create').slice(startCreates).every((b) => JSON.stringify(b['notification_types']) === '["sms","email"]')).toBe(true);
      expect(h.cashfree.bodies('user').slice(-6).map((b) => b['phone'])).toEqual(CUSTOMERS.map((c) => c.phone));

      // One reply per failed row in the card's thread: its number and reason.
      const thread = await h.slack.waitFor(() => (h.slack.thread('C0BULK', card.ts).length >= 3 ? h.slack.thread('C0BULK', card.ts) : undefined));
      expect(thread.map((m) => /Row (\d+)/.exec(m.text)?.[1])).toEqual(BAD_ROWS.map(String));

      // The agent's CSV by DM: row number → verification id, nothing else about the customer.
      const upload = await h.slack.waitFor(() => h.slack.calls.find((c) => c.method === 'files.completeUploadExternal' && c.params['channel_id'] === 'DU0AGENT'), 10_000);
      expect(String(upload.params['initial_comment'])).toContain('6 started, 3 failed');
      const csv = h.slack.uploads.at(-1)?.bytes.toString('utf8') ?? '';
      const lines = csv.replace('\uFEFF', '').trim().split('\r\n');
      expect(lines[0]).toBe('row,verification_id,state,reason');
      expect(lines.filter((l) => l.includes(',started,')).map((l) => l.split(',')[1])).toEqual(ids);
      for (const secret of PERSONAL) expect(csv).not.toContain(secret);

      // Each start is findable by phone, and audited.
      const find = await h.kyc(`find +91 ${CUSTOMERS[3]?.phone ?? ''}`);
      expect((await h.waitForReply(find.responseUrl))[0]).toContain(ids[3]);
      const audits = query<{ subject: string }>(h.config.databasePath, "SELECT subject FROM audit WHERE action = 'vkyc_started' AND detail LIKE 'batch:%'");
      expect(audits.map((a) => a.subject)).toEqual(expect.arrayContaining(ids));
    });

    it('starts within a quarter of the request budget, and an agent still gets a status meanwhile', async () => {
      const windowMs = 2_000;
      await h.restart({ CASHFREE_MAX_RPM: '8', KYC_TEST_TIMINGS: JSON.stringify({ socketPingTimeoutMs: 1_000, budgetWindowMs: windowMs }) });
      try {
        h.cashfree.addVerification({ verification_id: 'vk_bulk_status' });
        const before = h.cashfree.requests.filter((r) => r.op === 'vkyc-create').length;
        const phones = ['9812301001', '9812301002', '9812301003', '9812301004', '9812301005'];
        const { card } = await startBatch(phones.join('\n'), 'C0PACE');
        // While the batch waits for its share, an agent's status request is answered.
        const status = await h.kyc('status vk_bulk_status');
        expect((await h.waitForReply(status.responseUrl)).join('\n')).toContain('RECEIVED');
        await h.slack.waitFor(() => (cardText(card).includes('Started: *5*') ? true : undefined), 20_000);
        // 8 requests a window, a quarter of them POST /vkyc: 2 in any window (a little narrower, for jitter).
        const times = h.cashfree.requests.filter((r) => r.op === 'vkyc-create').slice(before).map((r) => r.at);
        expect(times).toHaveLength(5);
        for (const at of times) expect(times.filter((t) => t >= at && t < at + windowMs - 300).length).toBeLessThanOrEqual(2);
      } finally {
        await h.restart();
      }
    });

    it("fails a row Cashfree refuses, retries one an outage hit, and starts each once", async () => {
      h.cashfree.fail({ kind: 'error', status: 400, body: { type: 'validation_error', code: 'phone_value_invalid', message: 'phone is not valid' } }, { op: 'user' });
      h.cashfree.fail(documentedFault('request_failed'), { op: 'vkyc-create' });
      const before = h.cashfree.bodies('vkyc-create').length;
      const { card } = await startBatch('9812303001\n9812303002\n9812303003\n', 'C0RETRY');
      await h.slack.waitFor(() => (cardText(card).includes('Remaining: *0*') ? true : undefined), 15_000);
      expect(cardText(card)).toContain('Started: *2* · Failed: *1*');
      const thread = await h.slack.waitFor(() => h.slack.thread('C0RETRY', card.ts)[0]);
      expect(thread.text).toContain('Row 1: Cashfree refused it (`phone_value_invalid`)');
      // Row 2's first POST /vkyc met the outage and was sent again with the same id; Cashfree has each once.
      const ids = h.cashfree.bodies('vkyc-create').slice(before).map((b) => String(b['verification_id']));
      expect(ids).toHaveLength(3);
      expect(new Set(ids).size).toBe(2);
      for (const id of ids) expect(h.cashfree.state(id).verification_id).toBe(id);
    });

    it('still finishes and sends the CSV when the bot is removed from the channel mid-batch', async () => {
      const { card } = await startBatch('phone\n9812302001\n123\n', 'C0GONE');
      h.slack.removeBot('C0GONE');
      const upload = await h.slack.waitFor(
        () => h.slack.calls.find((c) => c.method === 'files.completeUploadExternal' && c.params['channel_id'] === 'DU0AGENT' && String(c.params['initial_comment']).includes('1 started, 1 failed')),
        10_000,
      );
      expect(upload).toBeDefined();
      // The failed row's reply could not be posted (unless it went out before the bot was removed): the CSV has it.
      expect(h.slack.thread('C0GONE', card.ts).length).toBeLessThanOrEqual(1);
      expect(h.slack.uploads.at(-1)?.bytes.toString('utf8')).toContain('3,,invalid,phone_invalid');
    });

    it('keeps no phone, name or email in SQLite, the channel or the logs', async () => {
      const stored = storedRows(h.config.databasePath);
      const channel = JSON.stringify([h.slack.messages('C0BULK'), h.slack.calls.filter((c) => String(c.params['channel'] ?? '').startsWith('C')).map((c) => c.params)]);
      const logs = h.logs.join('\n');
      for (const secret of [...PERSONAL, PHONE_KEY]) {
        expect(stored).not.toContain(secret);
        expect(channel).not.toContain(secret);
        expect(logs).not.toContain(secret);
      }
      // Once started, no sealed row is left either.
      expect(query(h.config.databasePath, 'SELECT 1 FROM bulk_rows WHERE sealed IS NOT NULL')).toEqual([]);
    });

    it('says what is wrong with a file it cannot use, and starts nothing', async () => {
      const before = h.cashfree.bodies('vkyc-create').length;
      const { event } = h.slack.shareFile({ name: 'bad.csv', content: 'phone,name\n"9812300009,unclosed\n' });
      await h.event(event);
      const answer = await h.slack.waitFor(() => dm().find((m) => m.text.includes('A quote in the CSV is not closed')), 10_000);
      expect(answer.text).not.toContain('9812300009');
      const after = dm().length;
      const { event: empty } = h.slack.shareFile({ name: 'only-bad.csv', content: '123\n456\n' });
      await h.event(empty);
      const none = await summary(after);
      expect(shownText(none)).toContain('Row 1: the phone is not an Indian mobile number');
      expect(JSON.stringify(none.blocks)).not.toContain('kyc_bulk_review');
      expect(h.cashfree.bodies('vkyc-create').length).toBe(before);
    });

    it('refuses a channel outside KYC_ALLOWED_CHANNELS on its field, and an agent outside KYC_ALLOWED_USERS', async () => {
      await h.restart({ KYC_ALLOWED_CHANNELS: 'C0KYC', KYC_ALLOWED_USERS: 'U0AGENT' });
      try {
        const after = dm().length;
        const { event } = h.slack.shareFile({ name: 'one.csv', content: '9812300010,Asha\n' });
        await h.event(event);
        const read = await summary(after);
        const opened = h.slack.modals().length;
        await h.interact(bulkReviewClick(read, h.slack.responseUrl()));
        const modal = await h.slack.waitFor(() => h.slack.modals()[opened]);
        const ack = JSON.parse((await h.interact(bulkSubmission(modal, { channel: 'C0ELSE' }))).body) as { response_action: string; errors: Record<string, string> };
        expect(ack).toMatchObject({ response_action: 'errors' });
        expect(ack.errors['channel']).toContain('may not be used in this channel');

        const { event: stranger } = h.slack.shareFile({ user: 'U0STRANGER', name: 'x.csv', content: '9812300011\n' });
        await h.event(stranger);
        await h.slack.waitFor(() => h.slack.messages('DU0STRANGER').find((m) => m.text.includes('allowed list')));
        const refusals = query<{ subject: string }>(h.config.databasePath, "SELECT subject FROM audit WHERE action = 'access_refused' AND actor = 'U0STRANGER'");
        expect(refusals.map((r) => r.subject)).toEqual(['bulk_upload']);
      } finally {
        await h.restart();
      }
    });
  });
}
