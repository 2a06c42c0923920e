import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_RECORDING_LINK } from '../../sim/cashfree.js';
import { shownText, type SimResponsePost } from '../../sim/slack.js';
import { openDatabase } from '../../src/store/open.js';
import { startHarness, type Harness } from '../helpers/harness.js';

let n = 0;
const freshId = (prefix: string) => `${prefix}_${++n}_${Date.now() % 100000}`;

interface ButtonElement {
  action_id: string;
  value?: string;
  text: { text: string };
}

/** The buttons of an ephemeral answer, by action_id, with their actions block's block_id. */
function buttonsOf(body: Record<string, unknown>): Map<string, ButtonElement & { block_id: string }> {
  const found = new Map<string, ButtonElement & { block_id: string }>();
  const blocks = Array.isArray(body['blocks']) ? (body['blocks'] as { type: string; block_id?: string; elements?: ButtonElement[] }[]) : [];
  for (const block of blocks) {
    if (block.type !== 'actions') continue;
    for (const element of block.elements ?? []) found.set(element.action_id, { ...element, block_id: block.block_id ?? '' });
  }
  return found;
}

/** The verification ids a list page shows, in order. */
const idsOn = (body: Record<string, unknown>) => [...shownText(body).matchAll(/^• `([^`]+)`/gm)].map((m) => m[1] ?? '');
/** The status lines a history page shows, in order. */
const entriesOn = (body: Record<string, unknown>) => shownText(body).split('\n').filter((line) => line.startsWith('• <!date'));

/** Parses the CSV the bot sends (RFC 4180, no quoted line breaks in what it writes). */
function csvRows(bytes: Buffer): string[][] {
  const text = bytes.toString('utf8');
  expect(text.startsWith('\uFEFF')).toBe(true);
  return text
    .slice(1)
    .split('\r\n')
    .filter((line) => line !== '')
    .map((line) => [...line.matchAll(/("([^"]|"")*"|[^,]*)(,|$)/g)].map((m) => (m[1] ?? '').replace(/^"|"$/g, '').replace(/""/g, '"')).slice(0, -1));
}

describe.each([
  ['HTTP', false],
  ['Socket Mode', true],
])('/kyc list, /kyc history, App Home and the digest within the limits, over %s', (_mode, socketMode) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ socketMode, env: { KYC_ALLOWED_USERS: 'U0AGENT,U0LEAD', CASHFREE_MAX_RPM: '2000' } });
  });
  afterAll(async () => {
    await h.close();
  });

  /** The one accepted answer posted to a response_url. */
  async function answerAt(responseUrl: string): Promise<SimResponsePost> {
    return h.slack.waitFor(() => h.slack.responses.find((r) => r.url === responseUrl && r.failed !== true), 10_000);
  }

  /** `/kyc <text>` and its answer (after the "Looking…" acknowledgement). */
  async function command(text: string, channelId: string): Promise<Record<string, unknown>> {
    const sent = await h.kyc(text, { channelId });
    expect(sent.status).toBe(200);
    return (await answerAt(sent.responseUrl)).body;
  }

  /** Clicks a button on an ephemeral answer, as Slack sends it (no `message` for an ephemeral source), and returns the answer. */
  async function click(button: ButtonElement & { block_id: string }, channelId: string, userId = 'U0AGENT'): Promise<SimResponsePost> {
    const responseUrl = h.slack.responseUrl('page');
    const ack = await h.interact({
      type: 'block_actions',
      api_app_id: 'A0KYC',
      user: { id: userId, username: 'agent', team_id: 'T0SIM' },
      team: { id: 'T0SIM', domain: 'sim' },
      container: { type: 'message', message_ts: '1700000000.000001', channel_id: channelId, is_ephemeral: true },
      channel: { id: channelId, name: 'lists' },
      trigger_id: `${Date.now()}.0000.sim`,
      response_url: responseUrl,
      actions: [{ type: 'button', block_id: button.block_id, action_id: button.action_id, value: button.value, text: button.text, action_ts: `${Date.now() / 1000}` }],
    });
    expect(ack.status).toBe(200);
    return answerAt(responseUrl);
  }

  /** `/kyc <text>` as `userId`, and its answer. */
  async function commandAs(text: string, channelId: string, userId: string): Promise<Record<string, unknown>> {
    const sent = await h.kyc(text, { channelId, userId });
    expect(sent.status).toBe(200);
    return (await answerAt(sent.responseUrl)).body;
  }

  async function trackMany(channelId: string, count: number, userId = 'U0AGENT'): Promise<string[]> {
    const ids = Array.from({ length: count }, () => freshId('listed'));
    for (const id of ids) h.cashfree.addVerification({ verification_id: id });
    for (let i = 0; i < ids.length; i += 10) {
      await Promise.all(ids.slice(i, i + 10).map(async (id) => expect(shownText(await commandAs(`track ${id}`, channelId, userId))).toContain('Tracking')));
    }
    return ids;
  }

  it('120 tracked: the list says which of 120 it shows, and Next reaches every one exactly once', async () => {
    const channel = 'C0LIST120';
    const tracked = await trackMany(channel, 120);
    let body = await command('list', channel);
    expect(shownText(body)).toContain('*120 verifications tracked in this channel*');
    expect(shownText(body)).toContain('Showing 1–20 of 120, newest first (page 1 of 6).');
    expect(body['text']).toBe('120 verifications tracked in this channel: showing 1–20 of 120');
    expect([...buttonsOf(body).keys()]).toEqual(['kyc_list_next', 'kyc_list_csv']);
    const seen = idsOn(body);
    for (let page = 2; page <= 6; page += 1) {
      const next = buttonsOf(body).get('kyc_list_next');
      expect(next, `a Next button on page ${page - 1}`).toBeDefined();
      if (next === undefined) break;
      const answer = await click(next, channel);
      // The next page takes the place of the one clicked, still only for this agent.
      expect(answer.body).toMatchObject({ response_type: 'ephemeral', replace_original: true });
      body = answer.body;
      expect(shownText(body)).toContain(`Showing ${(page - 1) * 20 + 1}–${page * 20} of 120, newest first (page ${page} of 6).`);
      seen.push(...idsOn(body));
    }
    expect([...buttonsOf(body).keys()]).toEqual(['kyc_list_previous', 'kyc_list_csv']);
    expect(seen).toHaveLength(120);
    expect(new Set(seen).size).toBe(120);
    expect([...seen].sort()).toEqual([...tracked].sort());
    // Newest first: the first page holds the last 20 tracked (tracked ten at a time, so in any order within them).
    expect(new Set(seen.slice(0, 20))).toEqual(new Set(tracked.slice(100)));
    const previous = buttonsOf(body).get('kyc_list_previous');
    expect(previous?.value).toBe('{"page":5}');
    if (previous !== undefined) expect(idsOn((await click(previous, channel)).body)).toEqual(seen.slice(80, 100));
  });

  it('All as CSV sends every row to the agent privately, with nothing about the customers', async () => {
    const channel = 'C0LISTCSV';
    const tracked = await trackMany(channel, 23);
    const csvButton = buttonsOf(await command('list', channel)).get('kyc_list_csv');
    expect(csvButton?.text.text).toBe('All 23 as CSV');
    if (csvButton === undefined) return;
    const uploads = h.slack.uploads.length;
    expect(shownText((await click(csvButton, channel)).body)).toContain('in your direct messages');
    const shared = h.slack.messages('DU0AGENT').at(-1);
    expect(shared?.files).toHaveLength(1);
    expect(shared?.text).toContain(`All 23 verifications tracked in <#${channel}>`);
    const upload = h.slack.uploads.slice(uploads).find((u) => u.fileId === shared?.files?.[0]?.id);
    const rows = csvRows(upload?.bytes ?? Buffer.alloc(0));
    expect(rows[0]).toEqual(['verification_id', 'status', 'sub_status', 'tracked_by', 'tracked_at_utc', 'status_since_utc', 'last_check_failed', 'thread']);
    expect(rows.slice(1).map((r) => r[0]).sort()).toEqual([...tracked].sort());
    expect(rows[1]).toEqual([expect.any(String), 'RECEIVED', 'LINK_GENERATED', 'U0AGENT', expect.stringMatching(/Z$/), expect.stringMatching(/Z$/), 'no', expect.stringContaining(`https://sim.slack.com/archives/${channel}/p`)]);
    // The channel saw nothing of it.
    expect(h.slack.messages(channel).filter((m) => (m.files ?? []).length > 0)).toEqual([]);
    const db = openDatabase(join(h.dir, 'kyc.sqlite'));
    try {
      expect(db.prepare("SELECT actor, channel_id, subject FROM audit WHERE action = 'csv_sent' AND channel_id = ?").all(channel)).toEqual([
        { actor: 'U0AGENT', channel_id: channel, subject: 'list' },
      ]);
    } finally {
      db.close();
    }
  });

  it('a history of 31 entries says it shows 20 of 31, pages to the rest, and the CSV holds all 31', async () => {
    const id = freshId('history');
    h.cashfree.addVerification({ verification_id: id });
    expect(shownText(await command(`track ${id}`, 'C0HIST'))).toContain('Tracking');
    for (let step = 1; step <= 30; step += 1) {
      h.cashfree.setState(id, { status: 'PRE_VIDEO_CALL', sub_status: `STEP_${step}`, ...(step === 30 ? { recording_link: SAMPLE_RECORDING_LINK } : {}) });
      expect(shownText(await command(`status ${id}`, 'C0HIST'))).toContain(`STEP_${step}`);
    }
    const first = await command(`history ${id}`, 'C0HIST');
    expect(shownText(first)).toContain(`*Status history of \`${id}\`* (31 entries)`);
    expect(shownText(first)).toContain('Showing 1–20 of 31, oldest first (page 1 of 2).');
    const firstEntries = entriesOn(first);
    expect(firstEntries).toHaveLength(20);
    expect(firstEntries[0]).toContain('`LINK_GENERATED`');
    const next = buttonsOf(first).get('kyc_history_next');
    expect(next?.value).toBe(JSON.stringify({ page: 2, id }));
    if (next === undefined) return;
    const second = (await click(next, 'C0HIST')).body;
    expect(shownText(second)).toContain('Showing 21–31 of 31, oldest first (page 2 of 2).');
    const secondEntries = entriesOn(second);
    expect(secondEntries).toHaveLength(11);
    expect(secondEntries.at(-1)).toContain('`STEP_30`');
    expect(new Set([...firstEntries, ...secondEntries]).size).toBe(31);

    const csvButton = buttonsOf(second).get('kyc_history_csv');
    expect(csvButton?.text.text).toBe('All 31 as CSV');
    if (csvButton === undefined) return;
    const uploads = h.slack.uploads.length;
    expect(shownText((await click(csvButton, 'C0HIST')).body)).toContain('in your direct messages');
    const rows = csvRows(h.slack.uploads.slice(uploads)[0]?.bytes ?? Buffer.alloc(0));
    expect(rows[0]).toEqual(['observed_at_utc', 'status', 'sub_status', 'previous_status', 'previous_sub_status', 'final_reason', 'posted_at_utc', 'recording_available']);
    expect(rows.slice(1).map((r) => r[2])).toEqual(['LINK_GENERATED', ...Array.from({ length: 30 }, (_, i) => `STEP_${i + 1}`)]);
    expect(rows.at(-1)?.[7]).toBe('yes');
    expect(JSON.stringify([h.slack.uploads.map((u) => u.bytes.toString('utf8')), h.slack.responses, h.slack.messages('DU0AGENT')])).not.toContain('X-Amz');
  });

  it('page and CSV buttons refuse someone outside the access list, explain it privately and audit it', async () => {
    const channel = 'C0LISTREFUSED';
    await trackMany(channel, 21);
    const body = await command('list', channel);
    const next = buttonsOf(body).get('kyc_list_next');
    const csvButton = buttonsOf(body).get('kyc_list_csv');
    if (next === undefined || csvButton === undefined) throw new Error('no page buttons');
    const uploads = h.slack.uploads.length;
    for (const button of [next, csvButton]) {
      const answer = await click(button, channel, 'U0STRANGER');
      expect(shownText(answer.body)).toContain('not allowed');
      // The refusal is a new message: the agent's page stays, and shows nothing to the stranger.
      expect(answer.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
      expect(answer.body['blocks']).toBeUndefined();
    }
    expect(h.slack.uploads.length).toBe(uploads);
    const db = openDatabase(join(h.dir, 'kyc.sqlite'));
    try {
      const audited = db.prepare("SELECT subject FROM audit WHERE actor = 'U0STRANGER' AND channel_id = ? AND action = 'access_refused' ORDER BY id").all(channel);
      expect(audited).toEqual([{ subject: 'button:list_page' }, { subject: 'button:list_csv' }]);
    } finally {
      db.close();
    }
  });

  let events = 0;
  it('App Home lists the first 15 of a phase and says how many there are', async () => {
    const mine = await trackMany('C0HOME', 17, 'U0LEAD');
    const before = h.slack.views.length;
    await h.event({
      type: 'event_callback',
      team_id: 'T0SIM',
      api_app_id: 'A0KYC',
      event: { type: 'app_home_opened', user: 'U0LEAD', channel: 'DU0LEAD', tab: 'home', event_ts: `${Date.now() / 1000}` },
      event_id: `EvLists${(events += 1)}`,
      event_time: Math.floor(Date.now() / 1000),
    });
    const home = await h.slack.waitFor(() => (h.slack.views.slice(before).some((v) => v.userId === 'U0LEAD') ? h.slack.home('U0LEAD') : undefined));
    const text = shownText(home.view);
    expect(text).toContain('*:bust_in_silhouette: Waiting on the customer* (17)');
    expect(text).toContain('Showing 15 of 17, longest tracked first. `/kyc list` in each channel shows them all.');
    // Longest tracked first: the first ten tracked (tracked ten at a time), then five of the other seven.
    const shown = mine.filter((id) => text.includes(`\`${id}\``));
    expect(shown).toHaveLength(15);
    expect(shown.slice(0, 10)).toEqual(mine.slice(0, 10));
  });

  it('a digest that cuts a list says so, and Digest as CSV sends it whole to whoever clicks', async () => {
    const channel = 'C0DIGEST';
    const ids = await trackMany(channel, 12);
    for (const id of ids) {
      h.cashfree.setState(id, { status: 'AUDITOR_REVIEWED', sub_status: 'AUDITOR_APPROVED' });
      expect(shownText(await command(`status ${id}`, channel))).toContain('AUDITOR_APPROVED');
    }
    let posted: number | undefined;
    for (let attempt = 0; attempt < 200 && posted === undefined; attempt += 1) {
      posted = await h.bot.digest();
      if (posted === undefined) await new Promise((done) => setTimeout(done, 25));
    }
    const digest = h.slack.messages(channel).find((m) => m.thread_ts === undefined && m.text.startsWith('Video KYC digest'));
    const seen = shownText({ blocks: digest?.blocks });
    expect(seen).toContain('*:white_check_mark: Approved since the last digest (12)*');
    expect(seen).toContain('Showing 10 of 12. *Digest as CSV* below sends you every one.');
    const button = buttonsOf({ blocks: digest?.blocks }).get('kyc_digest_csv');
    if (button === undefined) throw new Error('no Digest as CSV button');
    const uploads = h.slack.uploads.length;
    const responseUrl = h.slack.responseUrl('digest');
    await h.interact({
      type: 'block_actions',
      api_app_id: 'A0KYC',
      user: { id: 'U0LEAD', username: 'lead', team_id: 'T0SIM' },
      team: { id: 'T0SIM', domain: 'sim' },
      container: { type: 'message', message_ts: digest?.ts, channel_id: channel, is_ephemeral: false },
      channel: { id: channel, name: 'digest' },
      message: { type: 'message', ts: digest?.ts, text: digest?.text, blocks: digest?.blocks },
      trigger_id: `${Date.now()}.0000.sim`,
      response_url: responseUrl,
      actions: [{ type: 'button', block_id: button.block_id, action_id: button.action_id, value: button.value, text: button.text, action_ts: `${Date.now() / 1000}` }],
    });
    // The answer is private and new: the digest stays as it is for everyone.
    expect((await answerAt(responseUrl)).body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(h.slack.messages('DU0LEAD').at(-1)?.text).toContain(`The digest of <#${channel}> in full`);
    const rows = csvRows(h.slack.uploads.slice(uploads)[0]?.bytes ?? Buffer.alloc(0));
    expect(rows[0]).toEqual(['kind', 'verification_id', 'status', 'sub_status', 'since_utc', 'thread']);
    const approved = rows.filter((r) => r[0] === 'approved').map((r) => r[1]);
    expect([...approved].sort()).toEqual([...ids].sort());
  });
});
