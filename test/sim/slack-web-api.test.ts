import { WebClient } from '@slack/web-api';
import { afterEach, describe, expect, it } from 'vitest';
import { startSlackSim, type SlackSim } from '../../sim/slack.js';

let sim: SlackSim | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

function clientFor(s: SlackSim, token = 'xoxb-sim-token'): WebClient {
  return new WebClient(token, { slackApiUrl: s.apiUrl, retryConfig: { retries: 0 } });
}

describe('slack sim: Web API through the real WebClient', () => {
  it('posts, threads, updates and uploads', async () => {
    sim = await startSlackSim();
    const client = clientFor(sim);
    expect(await client.auth.test()).toMatchObject({ ok: true, team_id: 'T0SIM', user_id: 'U0BOT', bot_id: 'B0BOT' });

    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: '*KYC*' } }];
    const parent = await client.chat.postMessage({ channel: 'C0KYC', text: 'KYC link', blocks, metadata: { event_type: 'kyc', event_payload: { id: 'v1' } } });
    const parentTs = String(parent.ts);
    const reply = await client.chat.postMessage({ channel: 'C0KYC', text: 'approved', thread_ts: parentTs, reply_broadcast: true });
    expect(Number(reply.ts)).toBeGreaterThan(Number(parentTs));
    await client.chat.update({ channel: 'C0KYC', ts: parentTs, text: 'KYC link (approved)' });

    const png = Buffer.from('89504e470d0a1a0a0000', 'hex');
    await client.files.uploadV2({ channel_id: 'C0KYC', thread_ts: parentTs, file: png, filename: 'qr.png', initial_comment: 'Scan me' });

    const [stored] = sim.messages('C0KYC');
    expect(stored).toMatchObject({ text: 'KYC link (approved)', blocks: undefined, metadata: { event_type: 'kyc' } });
    expect(stored?.edits).toEqual([{ text: 'KYC link (approved)', blocks: undefined }]);
    expect(sim.thread('C0KYC', parentTs).map((m) => m.text)).toEqual(['approved', 'Scan me']);
    expect(sim.thread('C0KYC', parentTs)[0]?.reply_broadcast).toBe(true);
    expect(sim.uploads).toHaveLength(1);
    expect(sim.uploads[0]?.bytes.equals(png)).toBe(true);
    expect(sim.calls.find((c) => c.method === 'files.completeUploadExternal')?.params['files']).toEqual([{ id: sim.uploads[0]?.fileId, title: 'qr.png' }]);
    expect(sim.calls.every((c) => c.token === 'xoxb-sim-token')).toBe(true);
  });

  it('answers Slack errors for channels, threads and tokens', async () => {
    sim = await startSlackSim();
    const client = clientFor(sim);
    sim.removeBot('C0GONE');
    sim.setChannelMissing('C0MISSING');
    await expect(client.chat.postMessage({ channel: 'C0GONE', text: 'x' })).rejects.toMatchObject({ data: { error: 'not_in_channel' } });
    await expect(client.chat.postMessage({ channel: 'C0MISSING', text: 'x' })).rejects.toMatchObject({ data: { error: 'channel_not_found' } });
    await expect(client.chat.postMessage({ channel: 'C1', text: 'x', thread_ts: '1.000001' })).rejects.toMatchObject({ data: { error: 'thread_not_found' } });
    const { ts } = await client.chat.postMessage({ channel: 'C1', text: 'parent' });
    sim.deleteMessage('C1', String(ts));
    await expect(client.chat.update({ channel: 'C1', ts: String(ts), text: 'y' })).rejects.toMatchObject({ data: { error: 'message_not_found' } });
    await expect(clientFor(sim, 'xoxb-wrong').auth.test()).rejects.toMatchObject({ data: { error: 'invalid_auth' } });
    await expect(client.apiCall('emoji.list')).rejects.toMatchObject({ data: { error: 'unknown_method' } });
    sim.addBot('C0GONE');
    expect((await client.chat.postMessage({ channel: 'C0GONE', text: 'back' })).ok).toBe(true);
  });

  it('serves injected faults and records them as failed', async () => {
    sim = await startSlackSim();
    const client = clientFor(sim);
    sim.fail('chat.postMessage', { error: 'not_in_channel' });
    sim.fail('chat.postMessage', { status: 500 });
    sim.fail('chat.update', { status: 429, retryAfter: 7 });
    sim.fail('upload', { status: 500 });
    await expect(client.chat.postMessage({ channel: 'C1', text: 'a' })).rejects.toMatchObject({ data: { error: 'not_in_channel' } });
    await expect(client.chat.postMessage({ channel: 'C1', text: 'b' })).rejects.toMatchObject({ code: 'slack_webapi_http_error', statusCode: 500 });
    const limited = new WebClient('xoxb-sim-token', { slackApiUrl: sim.apiUrl, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true });
    await expect(limited.chat.update({ channel: 'C1', ts: '1.1', text: 'c' })).rejects.toMatchObject({ code: 'slack_webapi_rate_limited_error', retryAfter: 7 });
    await expect(client.files.uploadV2({ channel_id: 'C1', file: Buffer.from('x'), filename: 'qr.png' })).rejects.toMatchObject({ code: 'slack_webapi_http_error' });
    expect(sim.calls.filter((c) => c.failed).map((c) => c.method)).toEqual(['chat.postMessage', 'chat.postMessage', 'chat.update']);
    expect(sim.uploads[0]?.failed).toBe(true);
    expect((await client.chat.postMessage({ channel: 'C1', text: 'd' })).ok).toBe(true);
  });
});
