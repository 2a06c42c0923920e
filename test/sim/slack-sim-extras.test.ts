import { afterEach, describe, expect, it } from 'vitest';
import { startSlackSim, type SlackSim } from '../../sim/slack.js';

let sim: SlackSim | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

const form = (fields: Record<string, string>) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: 'Bearer xoxb-sim-token' },
  body: new URLSearchParams(fields).toString(),
});

describe('slack sim: response_url, waitFor, close', () => {
  it('records response_url posts and fails one on request', async () => {
    sim = await startSlackSim();
    const url = sim.responseUrl('link');
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/response\/link-1$/);
    const ok = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'Working…' }) });
    expect([ok.status, await ok.text()]).toEqual([200, 'ok']);
    sim.failResponseUrl(404);
    expect((await fetch(url, { method: 'POST', body: '{"text":"late"}' })).status).toBe(404);
    expect(sim.responses.map((r) => [r.id, r.body['text'], r.failed])).toEqual([
      ['link-1', 'Working…', undefined],
      ['link-1', 'late', true],
    ]);
  });

  it('waits for a condition and explains a timeout', async () => {
    sim = await startSlackSim();
    const s = sim;
    setTimeout(() => void fetch(`${s.apiUrl}chat.postEphemeral`, form({ channel: 'C1', user: 'U1', text: 'only you' })), 20);
    const call = await sim.waitFor(() => s.calls.find((c) => c.method === 'chat.postEphemeral'));
    expect(call.params).toMatchObject({ channel: 'C1', user: 'U1', text: 'only you' });
    await expect(sim.waitFor(() => false, 50)).rejects.toThrow(/chat\.postEphemeral/);
    sim.reset();
    expect(sim.calls).toHaveLength(0);
  });

  it('parses JSON bodies, answers permalinks, and closes with a hung call', async () => {
    sim = await startSlackSim();
    const posted = await fetch(`${sim.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer xoxb-sim-token' },
      body: JSON.stringify({ channel: 'C1', text: 'json' }),
    });
    const { ts } = (await posted.json()) as { ts: string };
    const link = (await (await fetch(`${sim.apiUrl}chat.getPermalink`, form({ channel: 'C1', message_ts: ts }))).json()) as { permalink: string };
    expect(link.permalink).toBe(`https://sim.slack.com/archives/C1/p${ts.replace('.', '')}`);

    sim.fail('chat.postMessage', { delayMs: 60_000 });
    const hung = fetch(`${sim.apiUrl}chat.postMessage`, form({ channel: 'C1', text: 'slow' })).then(
      () => 'answered',
      () => 'ended',
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
    await sim.close();
    expect(await hung).toBe('ended');
    sim = undefined;
  });
});
