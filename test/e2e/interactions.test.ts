import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRequestBudget } from '../../src/tracking/budget.js';
import { openDatabase } from '../../src/store/open.js';
import { buttonClick } from '../../sim/slack-payloads.js';
import type { SimMessage } from '../../sim/slack.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { openHome as openHomeTab, track } from '../helpers/tracking.js';

let n = 0;
const freshId = () => `btn_${++n}_${Date.now() % 100000}`;

type Button = 'kyc_refresh' | 'kyc_stop';

/** A block_actions payload as Slack sends it when someone clicks a button on the card. */
function click(parent: SimMessage, actionId: Button, responseUrl: string, p: { userId?: string; channelId?: string; value?: string } = {}) {
  const text = { type: 'plain_text', text: actionId === 'kyc_refresh' ? 'Refresh' : 'Stop tracking' };
  const value = p.value ?? /Video KYC (\S+):/.exec(parent.text)?.[1] ?? '';
  return buttonClick(parent, { actionId, blockId: 'kyc_card_actions', value, text }, { ...p, responseUrl });
}

function currentBlocks(h: Harness, parent: SimMessage): string {
  const message = h.slack.messages(parent.channel).find((m) => m.ts === parent.ts);
  return JSON.stringify(message?.blocks);
}

describe.each([
  ['HTTP', false],
  ['Socket Mode', true],
])('card buttons and App Home over %s', (_mode, socketMode) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ socketMode, env: { KYC_ALLOWED_USERS: 'U0AGENT,U0LEAD' } });
  });
  afterAll(async () => {
    await h.close();
  });

  /** Sends app_home_opened for `userId` and returns the Home view the bot publishes in answer. */
  const openHome = (userId: string) => openHomeTab(h, userId);

  /** Clicks and returns the ephemeral answer; every click is acknowledged at once with an empty body. */
  async function press(parent: SimMessage, actionId: Button, p: { userId?: string; channelId?: string } = {}): Promise<string> {
    const responseUrl = h.slack.responseUrl('click');
    const ack = await h.interact(click(parent, actionId, responseUrl, p));
    expect(ack.status).toBe(200);
    const [answer] = await h.waitForReply(responseUrl);
    expect(h.slack.responses.find((r) => r.url === responseUrl)?.body['response_type']).toBe('ephemeral');
    return answer ?? '';
  }

  it('shows Refresh and Stop tracking (with a confirm dialog) on the card', async () => {
    const id = freshId();
    h.cashfree.addVerification({ verification_id: id });
    const parent = await track(h, id);
    const blocks = JSON.stringify(parent.blocks);
    expect(blocks).toContain('"action_id":"kyc_refresh"');
    expect(blocks).toContain('"action_id":"kyc_stop"');
    expect(blocks).toContain(`"value":"${id}"`);
    expect(blocks).toContain('"confirm":{');
  });

  it('Refresh posts a change in the thread, and answers privately when nothing changed', async () => {
    const id = freshId();
    h.cashfree.addVerification({ verification_id: id });
    const parent = await track(h, id);
    const polls = h.cashfree.pollCount(id);
    expect(await press(parent, 'kyc_refresh')).toContain('No change');
    expect(h.cashfree.pollCount(id)).toBe(polls + 1);
    expect(h.slack.thread('C0KYC', parent.ts)).toEqual([]);

    h.cashfree.advance(id);
    expect(await press(parent, 'kyc_refresh')).toContain('is now `PRE_VIDEO_CALL`');
    await h.bot.tick();
    expect(h.slack.thread('C0KYC', parent.ts).map((m) => m.text).join('\n')).toContain('AADHAAR_VERIFICATION_SUCCESS');
    expect(currentBlocks(h, parent)).toContain('AADHAAR_VERIFICATION_SUCCESS');
  });

  it('Refresh with the request budget spent says when the next check is', async () => {
    const id = freshId();
    h.cashfree.addVerification({ verification_id: id });
    const parent = await track(h, id);
    const db = openDatabase(join(h.dir, 'kyc.sqlite'));
    try {
      createRequestBudget({ db, max: h.config.cashfree.maxRequestsPerMinute }).pauseUntil(Date.now() + 40_000);
      const polls = h.cashfree.pollCount(id);
      expect(await press(parent, 'kyc_refresh')).toMatch(/Next check in about \d+ s/);
      expect(h.cashfree.pollCount(id)).toBe(polls);
    } finally {
      db.prepare('UPDATE budget_bucket SET paused_until = 0').run();
      db.close();
    }
  });

  it('a refused click changes nothing, is explained privately and audited', async () => {
    const id = freshId();
    h.cashfree.addVerification({ verification_id: id });
    const parent = await track(h, id);
    const requests = h.cashfree.requests.length;
    expect(await press(parent, 'kyc_stop', { userId: 'U0STRANGER' })).toContain('not allowed');
    expect(await press(parent, 'kyc_refresh', { userId: 'U0STRANGER' })).toContain('not allowed');
    expect(h.cashfree.requests.length).toBe(requests);
    expect(h.slack.thread('C0KYC', parent.ts)).toEqual([]);
    expect(currentBlocks(h, parent)).toContain('kyc_stop');
    const db = openDatabase(join(h.dir, 'kyc.sqlite'));
    try {
      const audited = db.prepare("SELECT subject FROM audit WHERE actor = 'U0STRANGER' AND action = 'access_refused' ORDER BY id").all();
      expect(audited).toEqual([{ subject: 'button:stop' }, { subject: 'button:refresh' }]);
    } finally {
      db.close();
    }
    // Still tracked: a change reaches the thread.
    h.cashfree.advance(id);
    await h.bot.tick();
    expect(h.slack.thread('C0KYC', parent.ts)).toHaveLength(1);
  });

  it('Stop tracking ends it here, says who in the thread, removes the buttons and stops the requests', async () => {
    const id = freshId();
    h.cashfree.addVerification({ verification_id: id });
    const parent = await track(h, id);
    expect(await press(parent, 'kyc_stop', { userId: 'U0LEAD' })).toContain('Stopped tracking');
    expect(h.slack.thread('C0KYC', parent.ts).map((m) => m.text)).toEqual([expect.stringContaining('<@U0LEAD> stopped tracking')]);
    const blocks = currentBlocks(h, parent);
    expect(blocks).not.toContain('"type":"actions"');
    expect(blocks).toContain('tracking stopped');
    const polls = h.cashfree.pollCount(id);
    h.cashfree.advance(id);
    await h.bot.tick();
    await h.bot.tick();
    expect(h.cashfree.pollCount(id)).toBe(polls);
    // A second click on the old card (a stale client) changes nothing.
    expect(await press(parent, 'kyc_stop')).toContain('is not tracked in this channel');
  });

  it('App Home shows the viewer their verifications by phase, with links, and the team counts', async () => {
    const id = freshId();
    h.cashfree.addVerification({ verification_id: id });
    await track(h, id, 'C0KYC', 'U0LEAD');
    const home = await openHome('U0LEAD');
    const text = JSON.stringify(home.view);
    expect(text).toContain(id);
    expect(text).toContain('Waiting on the customer');
    expect(text).toContain('Link created. Share it with the customer.');
    expect(text).toMatch(/\|thread>/);
    expect(text).toMatch(/\*Tracked\*\\n\d+/);
    expect(text).toContain('How to use it');
    expect((home.view['blocks'] as unknown[]).length).toBeLessThanOrEqual(100);
    // Another agent's Home lists only their own verifications.
    expect(JSON.stringify((await openHome('U0AGENT')).view)).not.toContain(id);
  });
  it('App Home shows someone outside the access list how it works, and no verifications', async () => {
    const text = JSON.stringify((await openHome('U0STRANGER')).view);
    expect(text).toContain('not on this bot');
    expect(text).toContain('How to use it');
    expect(text).not.toContain('btn_');
  });
});
