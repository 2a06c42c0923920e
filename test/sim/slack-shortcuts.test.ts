import { WebClient } from '@slack/web-api';
import { afterEach, describe, expect, it } from 'vitest';
import { blocksProblems } from '../../sim/slack-block-kit.js';
import { startSlackSim, type SlackSim } from '../../sim/slack.js';

let sim: SlackSim | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

const option = (value: string) => ({ text: { type: 'plain_text', text: value }, value });
const input = (element: Record<string, unknown>) => [{ type: 'input', block_id: 'b', label: { type: 'plain_text', text: 'L' }, element: { action_id: 'a', ...element } }];

describe('slack sim: shortcuts', () => {
  it('builds a message_action from a message it holds, with a reply\'s thread_ts, and refuses one for a message it does not', async () => {
    sim = await startSlackSim();
    const parent = sim.userMessage('C0KYC', 'first', { userId: 'U0ASKER' });
    const reply = sim.userMessage('C0KYC', 'vk_1 please', { threadTs: parent.ts });
    const payload = sim.messageShortcut('C0KYC', reply.ts, 'kyc_track_message', { userId: 'U0AGENT' });
    expect(payload).toMatchObject({
      type: 'message_action',
      callback_id: 'kyc_track_message',
      team: { id: 'T0SIM' },
      user: { id: 'U0AGENT', team_id: 'T0SIM' },
      channel: { id: 'C0KYC', name: 'kyc' },
      message_ts: reply.ts,
      message: { type: 'message', user: 'U0CUSTOMERCARE', text: 'vk_1 please', ts: reply.ts, thread_ts: parent.ts },
    });
    expect(String(payload['trigger_id'])).not.toBe('');
    expect(String(payload['response_url'])).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/response\//);
    expect(() => sim?.messageShortcut('C0KYC', '1.999999', 'kyc_track_message')).toThrow(/no message/);
    expect(() => sim?.userMessage('C0KYC', 'x', { threadTs: '1.999999' })).toThrow(/no message/);
  });

  it('builds a global shortcut without channel, message or response_url', async () => {
    sim = await startSlackSim();
    const payload = sim.globalShortcut('kyc_start_vkyc');
    expect(payload).toMatchObject({ type: 'shortcut', callback_id: 'kyc_start_vkyc', user: { id: 'U0AGENT' } });
    for (const key of ['channel', 'message', 'response_url']) expect(payload).not.toHaveProperty(key);
  });

  it('answers conversations.info with membership, hiding private channels the bot is not in', async () => {
    sim = await startSlackSim();
    const client = new WebClient('xoxb-sim-token', { slackApiUrl: sim.apiUrl, retryConfig: { retries: 0 } });
    expect((await client.conversations.info({ channel: 'C0KYC' })).channel).toMatchObject({ id: 'C0KYC', is_member: true, is_private: false });
    sim.removeBot('C0GONE');
    expect((await client.conversations.info({ channel: 'C0GONE' })).channel).toMatchObject({ is_member: false });
    sim.removeBot('GSECRET');
    await expect(client.conversations.info({ channel: 'GSECRET' })).rejects.toMatchObject({ data: { error: 'channel_not_found' } });
    sim.setChannelMissing('C0NONE');
    await expect(client.conversations.info({ channel: 'C0NONE' })).rejects.toMatchObject({ data: { error: 'channel_not_found' } });
  });

  it('answers missing_scope for a method the token has no scope for, by conversation type', async () => {
    sim = await startSlackSim({ scopes: ['chat:write', 'groups:read'] });
    const client = new WebClient('xoxb-sim-token', { slackApiUrl: sim.apiUrl, retryConfig: { retries: 0 } });
    await expect(client.conversations.info({ channel: 'C0KYC' })).rejects.toMatchObject({ data: { error: 'missing_scope', needed: 'channels:read', provided: 'chat:write,groups:read' } });
    expect((await client.conversations.info({ channel: 'GPRIVATE' })).ok).toBe(true);
    await expect(client.conversations.open({ users: 'U0AGENT' })).rejects.toMatchObject({ data: { error: 'missing_scope', needed: 'im:write' } });
    expect((await client.chat.postMessage({ channel: 'C0KYC', text: 'hi' })).ok).toBe(true);
  });

  it('refuses checkbox initial_options outside the options, and malformed conversation pickers', () => {
    expect(blocksProblems(input({ type: 'checkboxes', options: [option('a')], initial_options: [option('a')] }), 'modal')).toEqual([]);
    expect(blocksProblems(input({ type: 'checkboxes', options: [option('a')], initial_options: [option('b')] }), 'modal')).toEqual([
      '[ERROR] must match one of the provided options [json-pointer:/blocks/0/element/initial_options/0]',
    ]);
    const picker = { type: 'conversations_select', default_to_current_conversation: false, filter: { include: ['public', 'private'], exclude_bot_users: true } };
    expect(blocksProblems(input(picker), 'modal')).toEqual([]);
    expect(blocksProblems(input({ ...picker, default_to_current_conversation: 'no' }), 'modal')).toEqual([
      '[ERROR] must provide a boolean [json-pointer:/blocks/0/element/default_to_current_conversation]',
    ]);
    expect(blocksProblems(input({ ...picker, filter: { include: ['channels'] } }), 'modal')).toEqual([
      '[ERROR] must be one of: im, mpim, private, public [json-pointer:/blocks/0/element/filter/include/0]',
    ]);
  });
});
