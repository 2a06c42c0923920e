import { LogLevel, SocketModeClient } from '@slack/socket-mode';
import { afterEach, describe, expect, it } from 'vitest';
import { startSlackSim, type SlackSim } from '../../sim/slack.js';

/** What SocketModeClient emits for an envelope (its own typings leave it untyped). */
interface SocketModeEvent {
  ack: (response?: Record<string, unknown>) => Promise<void>;
  body: Record<string, unknown>;
  envelope_id: string;
  retry_num?: number;
  retry_reason?: string;
  accepts_response_payload?: boolean;
}

/**
 * The client waits clientPingTimeout before it reconnects (5 s by default; 1 s here, which still leaves
 * a busy machine's pauses well short of a missed pong), times the failures in a row.
 */
const PING_TIMEOUT_MS = 1_000;
const RECONNECT_TEST_MS = 20_000;

let sim: SlackSim | undefined;
const clients: SocketModeClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.disconnect()));
  await sim?.close();
  sim = undefined;
});

function clientFor(s: SlackSim, appToken = 'xapp-sim-app-token', autoReconnectEnabled = true): SocketModeClient {
  const client = new SocketModeClient({
    appToken,
    autoReconnectEnabled,
    clientPingTimeout: PING_TIMEOUT_MS,
    logLevel: LogLevel.ERROR,
    clientOptions: { slackApiUrl: s.apiUrl },
  });
  clients.push(client);
  return client;
}

const connectionOpens = (s: SlackSim) => s.calls.filter((c) => c.method === 'apps.connections.open');

describe('slack sim: Socket Mode through the real SocketModeClient', () => {
  it('connects with the app token and carries a slash command and its ack', async () => {
    sim = await startSlackSim();
    const client = clientFor(sim);
    const commands: Record<string, unknown>[] = [];
    client.on('slash_commands', async ({ ack, body }: SocketModeEvent) => {
      commands.push(body);
      await ack({ text: 'Working on it' });
    });
    expect(await client.start()).toMatchObject({ ok: true, url: expect.stringMatching(/^ws:\/\/127\.0\.0\.1:\d+\/link\/\?ticket=1&app_id=A0KYC$/) });
    expect(connectionOpens(sim).map((c) => c.token)).toEqual(['xapp-sim-app-token']);
    expect([sim.socket.openConnections(), sim.socket.connectionsOpened()]).toEqual([1, 1]);

    const record = await sim.socket.slashCommand({ text: 'link Aadhaar_verification', responseUrl: sim.responseUrl() });
    expect(record.payload).toMatchObject({ command: '/kyc', text: 'link Aadhaar_verification', user_id: 'U0AGENT', channel_id: 'C0KYC', api_app_id: 'A0KYC' });
    expect(commands).toEqual([record.payload]);
    expect(record).toMatchObject({ type: 'slash_commands', connection: 1, ack: { text: 'Working on it' } });
    expect(record.ackedAt).toBeGreaterThanOrEqual(record.sentAt);
    expect(sim.socket.received.map((frame) => frame.json)).toEqual([{ envelope_id: record.envelopeId, payload: { text: 'Working on it' } }]);
  });

  it('carries interactive and events_api envelopes, with their retry fields', async () => {
    sim = await startSlackSim();
    const client = clientFor(sim);
    const seen: Omit<SocketModeEvent, 'ack' | 'body'>[] = [];
    client.on('slack_event', ({ envelope_id, retry_num, retry_reason, accepts_response_payload }: SocketModeEvent) => {
      seen.push({ envelope_id, retry_num, retry_reason, accepts_response_payload });
    });
    client.on('interactive', async ({ ack }: SocketModeEvent) => ack({ response_action: 'errors', errors: { pan: 'Not a PAN' } }));
    client.on('app_home_opened', async ({ ack }: SocketModeEvent) => ack());
    await client.start();

    const submission = await sim.socket.send('interactive', { type: 'view_submission', view: { callback_id: 'track' } });
    expect(submission.ack).toEqual({ response_action: 'errors', errors: { pan: 'Not a PAN' } });
    const homeOpened = { type: 'event_callback', event: { type: 'app_home_opened', user: 'U0AGENT', tab: 'home' }, event_id: 'Ev1' };
    const event = await sim.socket.send('events_api', homeOpened, { retryAttempt: 1, retryReason: 'timeout' });
    expect(event.ack).toEqual({});
    expect(seen).toEqual([
      { envelope_id: submission.envelopeId, retry_num: 0, retry_reason: '', accepts_response_payload: true },
      { envelope_id: event.envelopeId, retry_num: 1, retry_reason: 'timeout', accepts_response_payload: false },
    ]);
  });

  it('fails an envelope acked after the limit, and still records the late ack', async () => {
    sim = await startSlackSim();
    const client = clientFor(sim);
    client.on('interactive', ({ ack }: SocketModeEvent) => {
      setTimeout(() => void ack(), 700);
    });
    await client.start();
    await expect(sim.socket.send('interactive', { type: 'block_actions' }, { ackTimeoutMs: 300 })).rejects.toThrow(/not acked within 300 ms/);
    const { envelopes } = sim.socket;
    const late = await sim.waitFor(() => envelopes.find((e) => e.ackedAt !== undefined));
    expect(late.ack).toEqual({});
  });

  it(
    'reconnects after refresh_requested and delivers the next envelope once',
    async () => {
      sim = await startSlackSim();
      const delivered = await startCountingClient(sim);
      sim.socket.disconnect('refresh_requested');
      await sim.socket.waitForConnection(2, 15_000);
      const record = await sim.socket.slashCommand({ text: 'help', responseUrl: sim.responseUrl() });
      expect(record.connection).toBe(2);
      expect(delivered).toEqual([record.envelopeId]);
      expect(connectionOpens(sim)).toHaveLength(2);
      // 1000: the client's own close frame; 1001 only if it took longer than the simulator's 100 ms grace.
      expect([1000, 1001]).toContain(sim.socket.connections[0]?.closeCode);
      expect(sim.socket.openConnections()).toBe(1);
    },
    RECONNECT_TEST_MS,
  );

  it(
    'reconnects after the connection drops',
    async () => {
      sim = await startSlackSim();
      const delivered = await startCountingClient(sim);
      sim.socket.dropConnections();
      await sim.socket.waitForConnection(2, 15_000);
      const record = await sim.socket.slashCommand({ text: 'help', responseUrl: sim.responseUrl() });
      expect([record.connection, delivered]).toEqual([2, [record.envelopeId]]);
      expect(connectionOpens(sim)).toHaveLength(2);
      expect(sim.socket.connections[0]?.closeCode).toBe(1006);
    },
    RECONNECT_TEST_MS,
  );

  it('refuses a wrong token and the bot token', async () => {
    sim = await startSlackSim();
    await expect(clientFor(sim, 'xapp-wrong').start()).rejects.toMatchObject({ data: { error: 'invalid_auth' } });
    // not_allowed_token_type is not on the client's list of unrecoverable errors, so only without auto-reconnect does start() reject.
    await expect(clientFor(sim, 'xoxb-sim-token', false).start()).rejects.toMatchObject({ data: { error: 'not_allowed_token_type' } });
    expect(connectionOpens(sim).map((c) => c.token)).toEqual(['xapp-wrong', 'xoxb-sim-token']);
    expect(sim.socket.connectionsOpened()).toBe(0);
  });

  it(
    'keeps asking with the bot token while auto-reconnect is on',
    async () => {
      const s = (sim = await startSlackSim());
      const client = clientFor(s, 'xoxb-sim-token');
      // With auto-reconnect this start() never settles: the client retries after 1, 2, … ping timeouts until disconnect().
      client.start().catch(() => undefined);
      await s.waitFor(() => connectionOpens(s).length >= 2, 15_000);
      expect(s.socket.connectionsOpened()).toBe(0);
    },
    RECONNECT_TEST_MS,
  );

  it('serves injected apps.connections.open faults', async () => {
    sim = await startSlackSim();
    sim.fail('apps.connections.open', { error: 'team_disabled' });
    await expect(clientFor(sim).start()).rejects.toMatchObject({ data: { error: 'team_disabled' } });
    // The client's WebClient retries an HTTP error itself (retryConfig {retries: 100}), so start() still succeeds.
    sim.fail('apps.connections.open', { status: 500 });
    await clientFor(sim).start();
    expect(connectionOpens(sim).map((c) => c.failed ?? false)).toEqual([true, true, false]);
    expect(sim.socket.connectionsOpened()).toBe(1);
  });
});

/** Starts a real client that acks every slash command and records its envelope id, in arrival order. */
async function startCountingClient(sim: SlackSim): Promise<string[]> {
  const client = clientFor(sim);
  const delivered: string[] = [];
  client.on('slash_commands', async ({ ack, envelope_id }: SocketModeEvent) => {
    delivered.push(envelope_id);
    await ack();
  });
  await client.start();
  return delivered;
}
