import { afterEach, describe, expect, it } from 'vitest';
import { startSlackSim, type SlackSim } from '../../sim/slack.js';

let sim: SlackSim | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

const call = async (s: SlackSim, method: string, fields: Record<string, string>, token = 'xoxb-sim-token') => {
  const res = await fetch(`${s.apiUrl}${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Bearer ${token}` },
    body: new URLSearchParams(fields).toString(),
  });
  return (await res.json()) as Record<string, unknown>;
};

describe('slack sim: files as a bot token sees them', () => {
  it('sends the file_share message event and answers files.info for a file shared in a DM with the bot', async () => {
    sim = await startSlackSim();
    const { file, event } = sim.shareFile({ user: 'U0AGENT', name: 'rows.csv', content: 'phone\n9876543210\n' });
    expect(event).toMatchObject({ type: 'event_callback', event: { type: 'message', subtype: 'file_share', channel: 'DU0AGENT', channel_type: 'im', user: 'U0AGENT' } });
    expect(sim.messages('DU0AGENT')[0]?.files).toEqual([{ id: file.id, title: 'rows.csv' }]);
    const info = await call(sim, 'files.info', { file: file.id });
    expect(info).toMatchObject({ ok: true, file: { id: file.id, name: 'rows.csv', user: 'U0AGENT', size: 17, ims: ['DU0AGENT'] } });
    expect(await call(sim, 'files.info', {})).toEqual({ ok: false, error: 'invalid_arguments' });
    expect(await call(sim, 'files.info', { file: 'F0NONE' })).toEqual({ ok: false, error: 'file_not_found' });
    expect(await call(sim, 'files.info', { file: file.id }, 'xoxb-wrong')).toEqual({ ok: false, error: 'invalid_auth' });
  });

  it('gives the bytes only with the bot token; without it, a redirect to the sign-in page', async () => {
    sim = await startSlackSim();
    const { file } = sim.shareFile({ name: 'rows.csv', content: 'phone\n9876543210\n' });
    const info = (await call(sim, 'files.info', { file: file.id }))['file'] as { url_private_download: string };
    const withToken = await fetch(info.url_private_download, { headers: { authorization: 'Bearer xoxb-sim-token' } });
    expect([withToken.status, await withToken.text()]).toEqual([200, 'phone\n9876543210\n']);
    const without = await fetch(info.url_private_download, { redirect: 'manual' });
    expect(without.status).toBe(302);
    await without.arrayBuffer();
    const followed = await fetch(info.url_private_download);
    expect(followed.headers.get('content-type')).toContain('text/html');
    expect(await followed.text()).not.toContain('9876543210');
  });

  it("lets a bot token delete only the bot's own files", async () => {
    sim = await startSlackSim();
    const { file } = sim.shareFile({ name: 'rows.csv', content: 'x' });
    expect(await call(sim, 'files.delete', { file: file.id })).toEqual({ ok: false, error: 'cant_delete_file' });
    expect(sim.files().find((f) => f.id === file.id)?.deleted).toBe(false);

    const { file_id: own, upload_url: url } = (await call(sim, 'files.getUploadURLExternal', { filename: 'mine.csv', length: '2' })) as { file_id: string; upload_url: string };
    await fetch(url, { method: 'POST', body: 'ok' });
    await call(sim, 'conversations.open', { users: 'U0AGENT' });
    await call(sim, 'files.completeUploadExternal', { files: JSON.stringify([{ id: own }]), channel_id: 'DU0AGENT' });
    expect(await call(sim, 'files.delete', { file: own })).toEqual({ ok: true });
    expect(await call(sim, 'files.delete', { file: own })).toEqual({ ok: false, error: 'file_deleted' });
    expect(await call(sim, 'files.info', { file: own })).toEqual({ ok: false, error: 'file_deleted' });
    expect(await call(sim, 'files.delete', { file: 'F0NONE' })).toEqual({ ok: false, error: 'file_not_found' });
  });

  it('answers missing_scope to a token without files:read or files:write, when the test names the scopes', async () => {
    sim = await startSlackSim({ scopes: ['chat:write'] });
    const { file } = sim.shareFile({ name: 'rows.csv', content: 'x' });
    expect(await call(sim, 'files.info', { file: file.id })).toMatchObject({ ok: false, error: 'missing_scope', needed: 'files:read' });
    expect(await call(sim, 'files.delete', { file: file.id })).toMatchObject({ ok: false, error: 'missing_scope', needed: 'files:write' });
  });
});
