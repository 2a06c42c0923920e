import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startSlackSim, type SlackSim } from '../../sim/slack.js';

/** A bare WebSocket client, to check the frames themselves and what the real client never does. */
interface RawLink {
  ws: WebSocket;
  frames: unknown[];
  /** Resolves with the close code. */
  closed: Promise<number>;
}

let sim: SlackSim | undefined;
const links: WebSocket[] = [];
afterEach(async () => {
  for (const ws of links.splice(0)) ws.terminate();
  await sim?.close();
  sim = undefined;
});

async function openConnection(s: SlackSim, headers: Record<string, string>): Promise<Record<string, unknown>> {
  const res = await fetch(`${s.apiUrl}apps.connections.open`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers } });
  const body: unknown = await res.json();
  return typeof body === 'object' && body !== null ? Object.fromEntries(Object.entries(body)) : {};
}

async function linkUrl(s: SlackSim): Promise<string> {
  const { url } = await openConnection(s, { authorization: 'Bearer xapp-sim-app-token' });
  if (typeof url !== 'string') throw new Error('apps.connections.open gave no url');
  return url;
}

function dial(url: string): WebSocket {
  const ws = new WebSocket(url);
  links.push(ws);
  return ws;
}

async function connect(url: string): Promise<RawLink> {
  const ws = dial(url);
  const frames: unknown[] = [];
  ws.on('message', (data) => frames.push(JSON.parse(String(data))));
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  return { ws, frames, closed };
}

async function refusal(url: string): Promise<string> {
  return new Promise((resolve) => dial(url).once('error', (error) => resolve(error.message)));
}

describe('slack sim: Socket Mode wire protocol', () => {
  it('checks the token kind for apps.connections.open and the other methods', async () => {
    sim = await startSlackSim();
    expect(await openConnection(sim, { authorization: 'Bearer xoxb-sim-token' })).toEqual({ ok: false, error: 'not_allowed_token_type' });
    expect(await openConnection(sim, { authorization: 'Bearer xapp-other' })).toEqual({ ok: false, error: 'invalid_auth' });
    // Slack takes the app token from the header only.
    const asField = await fetch(`${sim.apiUrl}apps.connections.open`, { method: 'POST', body: new URLSearchParams({ token: 'xapp-sim-app-token' }) });
    expect(await asField.json()).toEqual({ ok: false, error: 'invalid_auth' });
    const withAppToken = await fetch(`${sim.apiUrl}auth.test`, { method: 'POST', headers: { authorization: 'Bearer xapp-sim-app-token' } });
    expect(await withAppToken.json()).toEqual({ ok: false, error: 'not_allowed_token_type' });
  });

  it('says hello on a fresh ticket and refuses a used, unknown or misplaced one', async () => {
    sim = await startSlackSim({ appToken: 'xapp-custom' });
    const { url } = await openConnection(sim, { authorization: 'Bearer xapp-custom' });
    if (typeof url !== 'string') throw new Error('no url');
    const first = await connect(url);
    await sim.waitFor(() => first.frames.length > 0);
    expect(first.frames).toEqual([
      { type: 'hello', num_connections: 1, debug_info: { host: 'sim', approximate_connection_time: 18060 }, connection_info: { app_id: 'A0KYC' } },
    ]);
    expect(await refusal(url)).toBe('Unexpected server response: 401');
    expect(await refusal(url.replace(/ticket=\d+/, 'ticket=99'))).toBe('Unexpected server response: 401');
    expect(await refusal(url.replace('/link/', '/elsewhere/'))).toBe('Unexpected server response: 404');
    const second = await connect(await openConnection(sim, { authorization: 'Bearer xapp-custom' }).then(({ url: next }) => String(next)));
    await sim.waitFor(() => second.frames.length > 0);
    expect(second.frames[0]).toMatchObject({ type: 'hello', num_connections: 2 });
    expect([sim.socket.openConnections(), sim.socket.connectionsOpened()]).toEqual([2, 2]);
  });

  it('matches acks by envelope id and records every frame', async () => {
    sim = await startSlackSim();
    const link = await connect(await linkUrl(sim));
    const sent = sim.socket.send('interactive', { type: 'block_actions' });
    const envelope = await sim.waitFor(() => link.frames[1]);
    expect(envelope).toMatchObject({ type: 'interactive', payload: { type: 'block_actions' }, accepts_response_payload: true, retry_attempt: 0, retry_reason: '' });
    const envelopeId = sim.socket.envelopes[0]?.envelopeId;
    expect(envelope).toMatchObject({ envelope_id: envelopeId });
    link.ws.send('not json');
    link.ws.send(JSON.stringify({ envelope_id: 'no-such-envelope', payload: {} }));
    link.ws.send(JSON.stringify({ envelope_id: envelopeId }));
    link.ws.send(JSON.stringify({ envelope_id: envelopeId, payload: { text: 'second ack' } }));
    const record = await sent;
    expect(record.ack).toEqual({});
    await sim.waitFor(() => sim?.socket.received.length === 4);
    expect(sim.socket.received.map((frame) => [frame.connection, frame.json?.['envelope_id'] ?? frame.text])).toEqual([
      [1, 'not json'],
      [1, 'no-such-envelope'],
      [1, envelopeId],
      [1, envelopeId],
    ]);
    expect(sim.socket.unknownAcks()).toBe(1);
    expect(sim.socket.envelopes[0]?.ack).toEqual({});
    sim.reset();
    expect([sim.socket.envelopes, sim.socket.received, sim.socket.unknownAcks()]).toEqual([[], [], 0]);
  });

  it('leaves a warned connection open and closes one told to refresh', async () => {
    sim = await startSlackSim();
    const link = await connect(await linkUrl(sim));
    sim.socket.disconnect('warning');
    const sent = sim.socket.send('events_api', { event: { type: 'app_home_opened' } });
    await sim.waitFor(() => link.frames.length === 3);
    expect(link.frames[1]).toEqual({ type: 'disconnect', reason: 'warning', debug_info: { host: 'sim' } });
    expect(link.frames[2]).toMatchObject({ type: 'events_api', accepts_response_payload: false });
    link.ws.send(JSON.stringify({ envelope_id: sim.socket.envelopes[0]?.envelopeId, payload: {} }));
    await sent;

    sim.socket.disconnect('refresh_requested');
    // This client ignores the request, so the simulator closes the link itself.
    expect(await link.closed).toBe(1001);
    expect(link.frames[3]).toEqual({ type: 'disconnect', reason: 'refresh_requested', debug_info: { host: 'sim' } });
    await expect(sim.socket.waitForConnection(1, 200)).rejects.toThrow(/no connection number 1 within 200 ms/);
  });

  it('ends open links and pending sends on close', async () => {
    sim = await startSlackSim();
    const link = await connect(await linkUrl(sim));
    const unacked = sim.socket.send('slash_commands', { text: 'help' });
    await sim.waitFor(() => link.frames.length === 2);
    const rejected = expect(unacked).rejects.toThrow(/closed before the envelope was acked/);
    await sim.close();
    sim = undefined;
    await rejected;
    expect(await link.closed).toBe(1006);
  });
});
