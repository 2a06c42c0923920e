import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECRETS, startHarness, type Harness } from '../helpers/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

const dividers = (n: number) => Array.from({ length: n }, () => ({ type: 'divider' }));

/** The refusals a test expects: checked, then taken out so the harness's close() does not fail on them. */
function takeRefusals(): string[] {
  expect(() => h.slack.assertNoRefusals()).toThrow(/Block Kit limits/);
  return h.slack.refusals.splice(0).map((r) => `${r.where} ${r.error}`);
}

describe('the Slack simulator refuses what Slack refuses', () => {
  it('a message past a Block Kit limit: invalid_blocks, with where, through the Web API client the bot uses', async () => {
    const client = new WebClient(SECRETS.botToken, { slackApiUrl: h.slack.apiUrl, retryConfig: { retries: 0 } });
    const posted = client.chat.postMessage({ channel: 'C0LIMITS', text: 'too many blocks', blocks: dividers(51) });
    await expect(posted).rejects.toMatchObject({
      data: { ok: false, error: 'invalid_blocks', response_metadata: { messages: ['[ERROR] no more than 50 items allowed [json-pointer:/blocks]'] } },
    });
    const long = [{ type: 'section', text: { type: 'mrkdwn', text: 'x'.repeat(3_001) } }];
    await expect(client.chat.postEphemeral({ channel: 'C0LIMITS', user: 'U0AGENT', text: 'long', blocks: long })).rejects.toMatchObject({
      data: { error: 'invalid_blocks' },
    });
    const ok = await client.chat.postMessage({ channel: 'C0LIMITS', text: 'fits', blocks: dividers(50) });
    const header = [{ type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } }];
    await expect(client.chat.update({ channel: 'C0LIMITS', ts: String(ok.ts), text: 'header', blocks: header })).rejects.toMatchObject({
      data: { error: 'invalid_blocks' },
    });
    await expect(client.views.publish({ user_id: 'U0AGENT', view: { type: 'home', blocks: dividers(101) } })).rejects.toMatchObject({
      data: { error: 'invalid_arguments' },
    });
    expect(h.slack.messages('C0LIMITS').map((m) => m.text)).toEqual(['fits']);
    expect(takeRefusals()).toEqual(['chat.postMessage invalid_blocks', 'chat.postEphemeral invalid_blocks', 'chat.update invalid_blocks', 'views.publish invalid_arguments']);
  });

  it('a response_url answer past a limit: HTTP 400 invalid_blocks, and nobody sees it', async () => {
    const responseUrl = h.slack.responseUrl('limits');
    const buttons = [{ type: 'actions', elements: [{ type: 'button', action_id: 'next', text: { type: 'plain_text', text: 'n'.repeat(76) }, value: '2' }] }];
    const answer = await fetch(responseUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ response_type: 'ephemeral', text: 'page 2', blocks: buttons }),
    });
    expect([answer.status, await answer.text()]).toEqual([400, 'invalid_blocks']);
    expect(h.repliesTo(responseUrl)).toEqual([]);
    expect(h.slack.refusals[0]?.messages).toEqual(['[ERROR] must be less than 76 characters [json-pointer:/blocks/0/elements/0/text/text]']);
    expect(takeRefusals()).toEqual(['response_url invalid_blocks']);
  });
});

describe('the bot stays within the limits', () => {
  it('a verification id too long for a button value still gets its card, without buttons', async () => {
    const id = `long_${'x'.repeat(2_000)}`;
    const ref = h.cashfree.addVerification({ verification_id: id });
    const answer = await h.kyc(`track ref:${ref}`, { channelId: 'C0LONG' });
    expect((await h.waitForReply(answer.responseUrl))[0]).toContain('Tracking `long_xxx');
    const [parent] = h.slack.messages('C0LONG');
    expect(JSON.stringify(parent?.blocks)).toContain('Video KYC long_xxx');
    expect(JSON.stringify(parent?.blocks)).not.toContain('"type":"actions"');
  });
});
