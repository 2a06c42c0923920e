import { afterAll, describe, it } from 'vitest';
import { bulkReviewClick, bulkSubmission } from '../../sim/bulk-form.js';
import { sendEvent, sendInteraction } from '../../sim/sign.js';
import type { SimMessage } from '../../sim/slack.js';
import { CHILD_TIMINGS, startWorld, until, type BotProcess, type World } from '../helpers/child-bot.js';
import { storedRows } from '../helpers/stored.js';

/**
 * A bulk start killed with SIGKILL while Cashfree holds a POST /vkyc it will accept: the restarted bot resumes the
 * batch, takes Cashfree's 409 for that row's verification id as "already started", and starts every row once.
 */
const worlds: World[] = [];
afterAll(async () => {
  await Promise.all(worlds.map((world) => world.close()));
});

const PHONES = ['9900000001', '9900000002', '9900000003', '9900000004', '9900000005'];
/** 8 requests per 3 s window: bulk starts may make 2 of them (a quarter), so two rows start per window. */
const WINDOW_MS = 3_000;
const ENV = {
  KYC_PHONE_KEY: 'bulk-kill-phone-key-0123456789abcdef0123456789',
  CASHFREE_MAX_RPM: '8',
  KYC_TEST_TIMINGS: JSON.stringify({ ...CHILD_TIMINGS, budgetWindowMs: WINDOW_MS }),
};

async function kill(bot: BotProcess): Promise<void> {
  bot.child.kill('SIGKILL');
  const exit = await bot.exited;
  if (exit.signal !== 'SIGKILL') throw new Error(`expected death by SIGKILL, got ${JSON.stringify(exit)}`);
}

describe('a bulk start killed mid-batch', () => {
  it('resumes after a restart and starts no row twice', async ({ expect }) => {
    const world = await startWorld();
    worlds.push(world);
    const first = await world.startBot(ENV);
    const { slack, cashfree } = world;
    const creates = () => cashfree.requests.filter((r) => r.op === 'vkyc-create');

    const { event } = slack.shareFile({ name: 'batch.csv', content: `phone,name\n${PHONES.map((p, i) => `${p},Customer ${i + 1}`).join('\n')}\n` });
    expect((await sendEvent(first.eventsUrl, world.secrets.signingSecret, event)).status).toBe(200);
    const read = await until('the upload summary', () => slack.messages('DU0AGENT').find((m) => m.text.includes('ready to start')));
    await sendInteraction(first.eventsUrl, world.secrets.signingSecret, bulkReviewClick(read, slack.responseUrl()));
    const modal = await until('the confirm modal', () => slack.modals().at(-1));
    await sendInteraction(first.eventsUrl, world.secrets.signingSecret, bulkSubmission(modal, { channel: 'C0BULK' }));
    const card = await until('the batch card', () => slack.messages('C0BULK').find((m) => m.text.includes('Bulk Video KYC start')));

    // Two rows start in the first window; the third POST /vkyc is held by Cashfree (which then accepts it) as the bot dies.
    await until('two starts', () => creates().length >= 2);
    cashfree.fail({ kind: 'delay', ms: 2_000 }, { op: 'vkyc-create' });
    await until('the third start in flight', () => creates().length >= 3, 20_000);
    await kill(first);

    const second = await world.startBot(ENV);
    const cardText = () => slack.messages('C0BULK').find((m) => m.ts === card.ts)?.text ?? '';
    await until('the batch done', () => cardText().includes('Remaining: *0*') && cardText().includes(':white_check_mark:'), 40_000);
    expect(cardText()).toContain('Started: *5* · Failed: *0*');

    // Every row has one verification id, and Cashfree has each exactly once: the retried one was answered 409.
    const ids = creates().map((r) => String((JSON.parse(r.body) as { verification_id: string }).verification_id));
    expect(new Set(ids).size).toBe(PHONES.length);
    expect(ids.length).toBe(PHONES.length + 1);
    for (const id of new Set(ids)) expect(cashfree.state(id).verification_id).toBe(id);
    const retried = ids.find((id, i) => ids.indexOf(id) !== i);
    expect(second.lines.some((line) => line.includes('bulk row already started at Cashfree') && line.includes(String(retried)))).toBe(true);

    // Starts kept to their share of the budget: at most 2 POST /vkyc in any window (a little narrower, for the network's jitter).
    const times = creates().map((r) => r.at);
    for (const at of times) expect(times.filter((t) => t >= at && t < at + WINDOW_MS - 300).length).toBeLessThanOrEqual(2);

    await until('the CSV by DM', () => slack.calls.some((c) => c.method === 'files.completeUploadExternal' && c.params['channel_id'] === 'DU0AGENT'));
    const stored = storedRows(world.databasePath);
    const logs = [...first.lines, ...second.lines].join('\n');
    for (const secret of [...PHONES, 'Customer 1', ENV.KYC_PHONE_KEY]) {
      expect(stored).not.toContain(secret);
      expect(logs).not.toContain(secret);
    }
    expect(slack.thread('C0BULK', card.ts)).toEqual([] as SimMessage[]);
    // Three budget windows of starts and two bot start-ups: longer than most tests on a busy machine.
  }, 90_000);
});
