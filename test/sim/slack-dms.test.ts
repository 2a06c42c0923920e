import { afterEach, describe, expect, it } from 'vitest';
import { startSlackSim, type SlackSim } from '../../sim/slack.js';

let sim: SlackSim | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function call(s: SlackSim, method: string, fields: Record<string, string>): Promise<Record<string, unknown>> {
  const answer = await fetch(`${s.apiUrl}${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: 'Bearer xoxb-sim-token' },
    body: new URLSearchParams(fields).toString(),
  });
  return (await answer.json()) as Record<string, unknown>;
}

describe('slack sim: direct messages, as strict as Slack', () => {
  it('opens a DM with one real user only, and knows no DM channel before it is opened', async () => {
    sim = await startSlackSim();
    expect(await call(sim, 'conversations.open', {})).toMatchObject({ ok: false, error: 'users_list_not_supplied' });
    expect(await call(sim, 'conversations.open', { users: 'not-a-user' })).toMatchObject({ ok: false, error: 'user_not_found' });
    expect(await call(sim, 'conversations.open', { users: 'U0BOT' })).toMatchObject({ ok: false, error: 'cannot_dm_bot' });
    expect(await call(sim, 'conversations.open', { users: 'U1,U2' })).toMatchObject({ ok: false, error: 'not_implemented' });
    expect(await call(sim, 'chat.postMessage', { channel: 'DU0AGENT', text: 'hi' })).toMatchObject({ ok: false, error: 'channel_not_found' });
    expect(await call(sim, 'conversations.open', { users: 'U0AGENT' })).toMatchObject({ ok: true, channel: { id: 'DU0AGENT' } });
    expect(await call(sim, 'chat.postMessage', { channel: 'DU0AGENT', text: 'hi' })).toMatchObject({ ok: true });
    expect(sim.directMessages('U0AGENT').map((m) => m.text)).toEqual(['hi']);
  });

  it('answers missing_scope without im:write, as an app installed without it would', async () => {
    sim = await startSlackSim();
    sim.revokeScope('im:write');
    expect(await call(sim, 'conversations.open', { users: 'U0AGENT' })).toMatchObject({ ok: false, error: 'missing_scope', needed: expect.stringContaining('im:write') });
    sim.grantScope('im:write');
    expect(await call(sim, 'conversations.open', { users: 'U0AGENT' })).toMatchObject({ ok: true });
  });
});
