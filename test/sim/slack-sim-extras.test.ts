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

describe('slack sim: the per-channel posting limit', () => {
  const post = (s: SlackSim, method: string, fields: Record<string, string>) => fetch(`${s.apiUrl}${method}`, form(fields));

  it('is off by default', async () => {
    sim = await startSlackSim();
    const answers = await Promise.all(Array.from({ length: 20 }, () => post(sim as SlackSim, 'chat.postMessage', { channel: 'C1', text: 'hi' })));
    expect(answers.map((a) => a.status)).toEqual(Array.from({ length: 20 }, () => 200));
    expect(sim.rateLimited).toEqual([]);
  });

  it('answers 429 with Retry-After past the burst, per channel and method, and records each one', async () => {
    sim = await startSlackSim({ channelRateLimit: { perSecond: 0.1, burst: 2 } });
    const s = sim;
    const statuses = async (method: string, fields: Record<string, string>, times: number) => {
      const answers: Response[] = [];
      for (let i = 0; i < times; i += 1) answers.push(await post(s, method, fields));
      return answers;
    };
    const first = await statuses('chat.postMessage', { channel: 'C1', text: 'hi' }, 3);
    expect(first.map((a) => a.status)).toEqual([200, 200, 429]);
    const limited = first[2];
    expect(limited?.headers.get('retry-after')).toBe('10');
    expect(await limited?.json()).toEqual({ ok: false, error: 'ratelimited' });
    // Another channel has its own allowance; so has chat.update in the same channel.
    expect((await statuses('chat.postMessage', { channel: 'C2', text: 'hi' }, 1)).map((a) => a.status)).toEqual([200]);
    const ts = s.messages('C1')[0]?.ts ?? '';
    expect((await statuses('chat.update', { channel: 'C1', ts, text: 'edited' }, 3)).map((a) => a.status)).toEqual([200, 200, 429]);
    // Methods Slack does not limit per channel are not limited.
    expect((await statuses('chat.postEphemeral', { channel: 'C1', user: 'U1', text: 'psst' }, 3)).map((a) => a.status)).toEqual([200, 200, 200]);
    expect(s.rateLimited.map((c) => [c.method, c.params['channel'], c.failed])).toEqual([
      ['chat.postMessage', 'C1', true],
      ['chat.update', 'C1', true],
    ]);
    expect(s.messages('C1').filter((m) => m.thread_ts === undefined)).toHaveLength(2);

    s.setChannelRateLimit(undefined);
    expect((await statuses('chat.postMessage', { channel: 'C1', text: 'hi' }, 3)).map((a) => a.status)).toEqual([200, 200, 200]);
    s.reset();
    expect(s.rateLimited).toEqual([]);
  });
});
