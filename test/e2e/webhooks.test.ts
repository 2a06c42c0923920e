import Database from 'better-sqlite3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { documentedFault, REJECTED_JOURNEY, signWebhook, STANDARD_JOURNEY, webhookBody, type VkycStep } from '../../sim/cashfree.js';
import { openStore } from '../../src/store/store.js';
import { eventKeys, parseWebhook } from '../../src/webhooks/schema.js';
import { SECRETS, startHarness, type Harness } from '../helpers/harness.js';
import { everySlackCallText, threadCodes, track } from '../helpers/tracking.js';

/** A step of the standard journey (the simulator's). */
function step(index: number): (typeof STANDARD_JOURNEY)[number] {
  const found = STANDARD_JOURNEY[index];
  if (found === undefined) throw new Error(`no journey step ${index}`);
  return found;
}

/**
 * Cashfree pushes VKYC events to POST /cashfree/webhook. The harness never ticks the poller here
 * (schedule off, no manual tick): every reply below arrives by push alone.
 */
let h: Harness;
let n = 0;
const freshId = (prefix: string) => `${prefix}_${++n}_${Date.now() % 100_000}`;
const codes = (steps: readonly { status: string; sub_status: string }[]) => steps.map((s) => `${s.status}/${s.sub_status}`);
const vkycGets = () => h.cashfree.requests.filter((r) => r.op === 'vkyc').length;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** A webhook reaches its thread within this long (the bound), polling off. */
const PUSH_BOUND_MS = 2_000;

beforeAll(async () => {
  h = await startHarness({ env: { POLL_SCHEDULE: '0 0 1 1 *' } });
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => {
  h.cashfree.setWebhookUrl(h.webhookUrl);
});

function stateBody(id: string, step: { status: string; sub_status: string }, eventTime = new Date()): string {
  const state = { ...h.cashfree.state(id), status: step.status, sub_status: step.sub_status };
  return webhookBody('VKYC_USER_CALL_QUEUED', state, eventTime);
}

describe('POST /cashfree/webhook', () => {
  it('a signed push reaches the thread with polling off', async () => {
    const id = freshId('vk_push');
    h.cashfree.addVerification({ verification_id: id });
    const parent = await track(h, id);
    h.cashfree.advance(id); // AADHAAR_VERIFICATION_SUCCESS: Cashfree sends VKYC_USER_AADHAAR_VERIFIED
    await h.slack.waitFor(() => threadCodes(h, 'C0KYC', parent.ts).length === 1, PUSH_BOUND_MS);
    expect(threadCodes(h, 'C0KYC', parent.ts)).toEqual(codes(STANDARD_JOURNEY.slice(1, 2)));
    expect(h.cashfree.webhooks.at(-1)?.status).toBe(200);
  });

  it('while webhooks arrive, polling a verification is only a safety net; one without them is polled every tick', async () => {
    const pushed = freshId('vk_net');
    const silent = freshId('vk_silent');
    h.cashfree.addVerification({ verification_id: pushed });
    h.cashfree.addVerification({ verification_id: silent });
    const parent = await track(h, pushed);
    await track(h, silent);
    h.cashfree.advance(pushed);
    await h.slack.waitFor(() => threadCodes(h, 'C0KYC', parent.ts).length === 1, PUSH_BOUND_MS);
    const before = { pushed: h.cashfree.pollCount(pushed), silent: h.cashfree.pollCount(silent) };
    for (let i = 0; i < 3; i += 1) await h.bot.tick();
    expect(h.cashfree.pollCount(pushed)).toBe(before.pushed);
    expect(h.cashfree.pollCount(silent)).toBeGreaterThanOrEqual(before.silent + 3);
  });

  it('refuses forged and unsigned deliveries with 401 and stores nothing', async () => {
    const id = freshId('vk_forged');
    h.cashfree.addVerification({ verification_id: id });
    const parent = await track(h, id);
    h.cashfree.setWebhookUrl(undefined);
    const before = vkycGets();
    const body = stateBody(id, step(2));
    const forged = await h.cashfree.sendWebhook(body, { url: h.webhookUrl, signature: signWebhook('not-the-secret', String(Date.now()), body) });
    const unsigned = await h.cashfree.sendWebhook(body, { url: h.webhookUrl, signature: null });
    const tampered = await h.cashfree.sendWebhook(body.replace('"status"', '"status" '), {
      url: h.webhookUrl,
      signature: signWebhook(SECRETS.clientSecret, '1700000000000', body),
      timestamp: 1_700_000_000_000,
    });
    expect([forged.status, unsigned.status, tampered.status]).toEqual([401, 401, 401]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(vkycGets()).toBe(before);
    expect(h.slack.thread('C0KYC', parent.ts)).toHaveLength(0);
    expect(h.logs.filter((l) => l.includes('webhook refused: missing or wrong signature')).length).toBeGreaterThanOrEqual(3);
  });

  it('processes the same delivery once, however often Cashfree retries it', async () => {
    const id = freshId('vk_dup');
    h.cashfree.addVerification({ verification_id: id });
    const parent = await track(h, id);
    h.cashfree.setWebhookUrl(undefined);
    h.cashfree.advance(id);
    const body = stateBody(id, step(1));
    const before = vkycGets();
    const first = await h.cashfree.sendWebhook(body, { url: h.webhookUrl, attempt: 1 });
    const again = await h.cashfree.sendWebhook(body, { url: h.webhookUrl, attempt: 2, timestamp: Date.now() + 60_000 });
    expect([first.status, again.status]).toEqual([200, 200]);
    expect(JSON.parse(again.answer)).toMatchObject({ duplicate: true });
    await h.slack.waitFor(() => threadCodes(h, 'C0KYC', parent.ts).length === 1, PUSH_BOUND_MS);
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect(threadCodes(h, 'C0KYC', parent.ts)).toEqual(codes(STANDARD_JOURNEY.slice(1, 2)));
    expect(vkycGets() - before).toBe(1);
  });

  it('posts nothing new for a redelivery with another event_time, whether or not Cashfree can be asked', async () => {
    const id = freshId('vk_redelivered');
    h.cashfree.addVerification({ verification_id: id });
    const parent = await track(h, id);
    h.cashfree.setWebhookUrl(undefined);
    await pause(1_100); // event_time has whole seconds: the event comes from a later second than the tracking
    h.cashfree.advance(id);
    const aadhaar = h.cashfree.state(id);
    await h.cashfree.sendWebhook(webhookBody('VKYC_USER_AADHAAR_VERIFIED', aadhaar), { url: h.webhookUrl });
    await h.slack.waitFor(() => threadCodes(h, 'C0KYC', parent.ts).length === 1, PUSH_BOUND_MS);
    h.cashfree.advance(id); // a step Cashfree sends no event for; the bot hears of it by an id-only event
    await h.cashfree.sendWebhook({ event_type: 'VKYC_USER_CALL_QUEUED', data: { verification_id: id } }, { url: h.webhookUrl });
    await h.slack.waitFor(() => threadCodes(h, 'C0KYC', parent.ts).length === 2, PUSH_BOUND_MS);

    // Cashfree delivers the first event again, stamped later: once while its status check fails, once while it works.
    for (const checkFails of [true, false]) {
      await pause(1_100);
      if (checkFails) h.cashfree.fail(documentedFault('insufficient_balance'), { op: 'vkyc', times: 1 });
      const gets = vkycGets();
      const again = await h.cashfree.sendWebhook(webhookBody('VKYC_USER_AADHAAR_VERIFIED', aadhaar), { url: h.webhookUrl, attempt: 2 });
      expect(again.status).toBe(200);
      await h.slack.waitFor(() => vkycGets() > gets, PUSH_BOUND_MS);
      await pause(300);
    }
    expect(threadCodes(h, 'C0KYC', parent.ts)).toEqual(codes(STANDARD_JOURNEY.slice(1, 3)));
  });

  it('never moves a thread back for an event older than what the bot last saw', async () => {
    const id = freshId('vk_old');
    h.cashfree.addVerification({ verification_id: id });
    const parent = await track(h, id);
    h.cashfree.setWebhookUrl(undefined);
    const stale = stateBody(id, step(0), new Date(Date.now() - 60_000));
    h.cashfree.advance(id);
    h.cashfree.advance(id);
    // The bot observes step 2 now (an id-only event makes it ask Cashfree).
    await h.cashfree.sendWebhook({ event_type: 'VKYC_USER_CALL_QUEUED', data: { verification_id: id } }, { url: h.webhookUrl });
    await h.slack.waitFor(() => threadCodes(h, 'C0KYC', parent.ts).length === 1);
    expect((await h.cashfree.sendWebhook(stale, { url: h.webhookUrl })).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect(threadCodes(h, 'C0KYC', parent.ts)).toEqual(codes(STANDARD_JOURNEY.slice(2, 3)));
  });

  it('an event carrying only the verification id still leads to the right reply', async () => {
    const id = freshId('vk_idonly');
    h.cashfree.addVerification({ verification_id: id });
    const parent = await track(h, id);
    h.cashfree.setWebhookUrl(undefined);
    h.cashfree.advance(id);
    h.cashfree.advance(id);
    const answer = await h.cashfree.sendWebhook({ event_type: 'VKYC_USER_CALL_QUEUED', data: { verification_id: id } }, { url: h.webhookUrl });
    expect(answer.status).toBe(200);
    await h.slack.waitFor(() => threadCodes(h, 'C0KYC', parent.ts).length === 1, PUSH_BOUND_MS);
    expect(threadCodes(h, 'C0KYC', parent.ts)).toEqual(codes(STANDARD_JOURNEY.slice(2, 3)));
  });

  it('answers 400 to signed garbage and 413 to an oversized body, with one log line and nothing else', async () => {
    const before = vkycGets();
    const garbage = await h.cashfree.sendWebhook('{"event_type": "VKYC_USER_CALL_QUEUED", "data": {', { url: h.webhookUrl });
    const noType = await h.cashfree.sendWebhook({ data: { verification_id: 'vk_x' } }, { url: h.webhookUrl });
    const huge = await h.cashfree.sendWebhook(JSON.stringify({ event_type: 'X', pad: 'x'.repeat(70 * 1024) }), { url: h.webhookUrl });
    expect([garbage.status, noType.status, huge.status]).toEqual([400, 400, 413]);
    expect(h.logs.filter((l) => l.includes('webhook refused: signed but unreadable'))).toHaveLength(2);
    expect(h.logs.filter((l) => l.includes('webhook refused: body too large'))).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(vkycGets()).toBe(before);
  });

  it('processes exactly once, after a restart, events stored but not processed before it', async () => {
    const id = freshId('vk_restart');
    h.cashfree.addVerification({ verification_id: id });
    const parent = await track(h, id);
    h.cashfree.setWebhookUrl(undefined);
    h.cashfree.advance(id);
    const body = Buffer.from(stateBody(id, step(1)));
    const parsed = parseWebhook(body);
    if (!parsed.ok) throw new Error(parsed.reason);
    // As if the bot had answered 200 and died before processing.
    await h.restart(undefined, () => {
      const store = openStore(h.config.databasePath);
      store.push.recordEvent(eventKeys(parsed.event), parsed.event, Date.now());
      store.close();
    });
    await h.slack.waitFor(() => threadCodes(h, 'C0KYC', parent.ts).length === 1, 5_000);
    await h.restart();
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(threadCodes(h, 'C0KYC', parent.ts)).toEqual(codes(STANDARD_JOURNEY.slice(1, 2)));
  });
});

const MEETING = '2030-07-09T14:50:00.000Z';
/** Two steps: the move to a scheduled call is the change under test. */
const SCHEDULING: readonly VkycStep[] = [
  { status: 'PRE_VIDEO_CALL', sub_status: 'USER_DEVICE_CHECK_SUCCESS' },
  { status: 'PRE_VIDEO_CALL', sub_status: 'USER_MEETING_SCHEDULED', meeting_schedule: MEETING },
];

/** Tracks a new verification on SCHEDULING; its thread starts empty (a first observation is not a change). */
async function trackScheduling(prefix: string): Promise<{ id: string; ts: string }> {
  const id = freshId(prefix);
  h.cashfree.addVerification({ verification_id: id, steps: SCHEDULING });
  return { id, ts: (await track(h, id)).ts };
}

async function onlyReply(parentTs: string): Promise<string> {
  const [reply] = await h.slack.waitFor(() => {
    const thread = h.slack.thread('C0KYC', parentTs);
    return thread.length > 0 ? thread : undefined;
  }, PUSH_BOUND_MS);
  return reply?.text ?? '';
}

describe('a call scheduled, pushed as Cashfree documents it', () => {
  let polled: string;
  let polledRow: ReturnType<typeof row>;
  /** What the bot recorded about a verification, in the columns a reply and a card are built from. */
  const row = (id: string) => {
    const store = openStore(h.config.databasePath);
    try {
      const r = store.verification(id);
      return { subStatus: r?.sub_status, meeting: r?.meeting_schedule, expiry: r?.link_expiry, recording: r?.has_recording };
    } finally {
      store.close();
    }
  };

  beforeAll(async () => {
    // The polled path: webhooks off, one tick.
    h.cashfree.setWebhookUrl(undefined);
    const { id, ts } = await trackScheduling('vk_sched_poll');
    h.cashfree.advance(id);
    await h.bot.tick();
    polled = await onlyReply(ts);
    polledRow = row(id);
  });

  it('posts the reply the polled path posts, meeting time in UTC and IST, once', async () => {
    expect(polled).toContain('A video call has been scheduled');
    expect(polled).toContain('2030-07-09 14:50 UTC (20:20 IST)');
    const { id, ts } = await trackScheduling('vk_sched_push');
    h.cashfree.advance(id); // Cashfree sends VKYC_USER_CALL_SCHEDULED
    expect(await onlyReply(ts)).toBe(polled);
    expect(JSON.parse(h.cashfree.webhooks.at(-1)?.body ?? '{}')).toMatchObject({
      event_type: 'VKYC_USER_CALL_SCHEDULED',
      data: { verification_id: id, meeting_schedule: MEETING, recording_link: '', link_expiry: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) },
    });
    // The event and its confirmation say the same thing: one reply.
    await pause(800);
    expect(h.slack.thread('C0KYC', ts)).toHaveLength(1);
  });

  it("posts the same reply, and records the same state, from the event's data when Cashfree cannot be asked", async () => {
    const { id, ts } = await trackScheduling('vk_sched_unconfirmed');
    // event_time has whole seconds: the event must come from a later second than the bot's last observation.
    await pause(1_100);
    h.cashfree.fail(documentedFault('insufficient_balance'), { op: 'vkyc', times: 1 });
    const gets = vkycGets();
    h.cashfree.advance(id);
    expect(await onlyReply(ts)).toBe(polled);
    expect(vkycGets() - gets).toBe(1);
    expect(row(id)).toEqual(polledRow);
    expect(polledRow.meeting).toBe(MEETING);
  });
});

describe("the customer's personal link and details", () => {
  /** Every value of every column of every table, as text, that contains `needle`. */
  function storedWith(needle: string): string[] {
    const db = new Database(h.config.databasePath, { readonly: true });
    try {
      const tables = db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'").all();
      return tables.flatMap(({ name }) =>
        db
          .prepare<[], { name: string }>(`SELECT name FROM pragma_table_info('${name}')`)
          .all()
          .flatMap((column) =>
            db
              .prepare<[string], { value: string }>(`SELECT CAST("${column.name}" AS TEXT) AS value FROM "${name}" WHERE instr(CAST("${column.name}" AS TEXT), ?) > 0`)
              .all(needle)
              .map((row) => `${name}.${column.name}: ${row.value}`),
          ),
      );
    } finally {
      db.close();
    }
  }

  it('appear in no SQLite column, no log line and no Slack call, whichever way an event is recorded', async () => {
    const subscribed = await h.kyc('subscribe', { channelId: 'C0OTHER' });
    await h.waitForReply(subscribed.responseUrl);
    const id = freshId('vk_personal');
    h.cashfree.addVerification({ verification_id: id });
    const parent = await track(h, id);
    const link = h.cashfree.state(id).vkyc_link;
    const code = link.slice(link.lastIndexOf('/') + 1);
    const unconfirmed = () => h.logs.filter((line) => line.includes('could not confirm a webhook')).length;
    const unconfirmedBefore = unconfirmed();
    // Through the whole journey, every step Cashfree sends an event for in the documented shape, link included;
    // the scheduled call is recorded from the event's own data (its status check fails, a second after the last).
    for (let i = 1; i < STANDARD_JOURNEY.length; i += 1) {
      if (STANDARD_JOURNEY[i]?.sub_status === 'USER_MEETING_SCHEDULED') {
        await pause(1_100);
        h.cashfree.fail(documentedFault('insufficient_balance'), { op: 'vkyc', times: 1 });
      }
      h.cashfree.advance(id);
      await pause(50);
    }
    await h.slack.waitFor(() => threadCodes(h, 'C0KYC', parent.ts).at(-1) === 'AUDITOR_REVIEWED/AUDITOR_APPROVED', 5_000);
    // An event that also carries the customer's details, as Cashfree's KYC-link events do.
    const customer = { name: 'Asha Customer-Zq', phone: '9999912345', email: 'asha.zq@example.com' };
    const detailed = JSON.parse(webhookBody('VKYC_USER_CALL_COMPLETED', h.cashfree.state(id))) as { data: Record<string, unknown> };
    expect((await h.cashfree.sendWebhook({ ...detailed, data: { ...detailed.data, ...customer } }, { url: h.webhookUrl })).status).toBe(200);
    await pause(800);

    expect(h.cashfree.webhooks.filter((w) => w.body.includes(code)).length).toBeGreaterThanOrEqual(6);
    expect(unconfirmed()).toBe(unconfirmedBefore + 1);
    expect(h.slack.messages('C0OTHER').some((m) => m.text.includes(id))).toBe(true);
    for (const needle of [link, code, ...Object.values(customer)]) {
      expect(storedWith(needle)).toEqual([]);
      expect(h.logs.filter((line) => line.includes(needle))).toEqual([]);
      expect(everySlackCallText(h)).not.toContain(needle);
    }
    expect(storedWith(id).length).toBeGreaterThan(0); // the scan does find what is stored
    const unsubscribed = await h.kyc('unsubscribe', { channelId: 'C0OTHER' });
    await h.waitForReply(unsubscribed.responseUrl);
  });
});

describe('/kyc subscribe', () => {
  it('opens a card in the subscribed channel at the first event and threads later ones; unsubscribe stops new cards', async () => {
    const subscribed = await h.kyc('subscribe', { channelId: 'C0SUB' });
    await h.waitForReply(subscribed.responseUrl);
    expect(h.slack.messages('C0SUB').some((m) => m.text.includes('added a rule'))).toBe(true);
    const listed = await h.kyc('subscriptions');
    expect((await h.waitForReply(listed.responseUrl))[0]).toContain('<#C0SUB>');

    const id = freshId('vk_sub');
    h.cashfree.addVerification({ verification_id: id });
    h.cashfree.advance(id); // nobody typed /kyc track: the webhook opens the card
    const card = await h.slack.waitFor(() => h.slack.messages('C0SUB').find((m) => m.thread_ts === undefined && m.text.includes(id)), PUSH_BOUND_MS);
    expect(card.text).toContain('AADHAAR_VERIFICATION_SUCCESS');
    h.cashfree.advance(id);
    h.cashfree.advance(id);
    h.cashfree.advance(id);
    h.cashfree.advance(id); // USER_MEETING_SCHEDULED: pushed
    await h.slack.waitFor(() => threadCodes(h, 'C0SUB', card.ts).includes('PRE_VIDEO_CALL/USER_MEETING_SCHEDULED'), PUSH_BOUND_MS);
    expect(h.slack.messages('C0KYC').some((m) => m.text.includes(id))).toBe(false);

    const unsubscribed = await h.kyc('unsubscribe', { channelId: 'C0SUB' });
    expect((await h.waitForReply(unsubscribed.responseUrl))[0]).toContain('no longer follows');
    const other = freshId('vk_after_unsub');
    h.cashfree.addVerification({ verification_id: other });
    h.cashfree.advance(other);
    await h.cashfree.sendWebhook({ event_type: 'VKYC_USER_AADHAAR_VERIFIED', data: { verification_id: other } }, { url: h.webhookUrl });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(h.slack.messages('C0SUB').some((m) => m.text.includes(other))).toBe(false);
  });

  it('subscribe failures: a card only for verifications that fail or are rejected', async () => {
    const subscribed = await h.kyc('subscribe failures', { channelId: 'C0FAIL' });
    await h.waitForReply(subscribed.responseUrl);
    const good = freshId('vk_good');
    const bad = freshId('vk_bad');
    h.cashfree.addVerification({ verification_id: good });
    h.cashfree.addVerification({ verification_id: bad, steps: REJECTED_JOURNEY });
    for (let i = 0; i < STANDARD_JOURNEY.length; i += 1) h.cashfree.advance(good);
    for (let i = 0; i < REJECTED_JOURNEY.length; i += 1) h.cashfree.advance(bad);
    const card = await h.slack.waitFor(() => h.slack.messages('C0FAIL').find((m) => m.thread_ts === undefined && m.text.includes(bad)), 5_000);
    expect(card.text).toMatch(/REJECTED/);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(h.slack.messages('C0FAIL').some((m) => m.text.includes(good))).toBe(false);
    const bogus = await h.kyc('subscribe everything', { channelId: 'C0FAIL' });
    expect(bogus.body).toContain('is not a filter');
  });

  it('asks to invite the bot, and subscribes nothing, where it cannot post', async () => {
    h.slack.removeBot('C0NOBOT');
    const answer = await h.kyc('subscribe', { channelId: 'C0NOBOT' });
    expect((await h.waitForReply(answer.responseUrl))[0]).toContain('/invite @kyc-bot');
    const listed = await h.kyc('subscriptions');
    expect((await h.waitForReply(listed.responseUrl))[0]).not.toContain('C0NOBOT');
  });
});
