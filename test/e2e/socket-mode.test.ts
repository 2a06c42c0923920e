import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STANDARD_JOURNEY, staticLinkFor } from '../../sim/cashfree.js';
import { ackText, SECRETS, startHarness, type Harness } from '../helpers/harness.js';
import { decodeQr } from '../helpers/qr.js';
import { threadCodes, track } from '../helpers/tracking.js';

/**
 * Socket Mode, the mode manifest.yml turns on and the README recommends: the real Bolt app, its
 * real Socket Mode client, and the Slack simulator's socket. Every envelope must be acked within
 * Slack's 3 s (the simulator rejects `send` otherwise).
 */
let h: Harness;
beforeAll(async () => {
  // Down past the limit well before the client's reconnection (one ping timeout, 1 s in the harness).
  h = await startHarness({ socketMode: true, socketDownLimitMs: 300 });
});
afterAll(async () => {
  await h.close();
});

async function health(): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`http://127.0.0.1:${h.bot.port}/healthz`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Waits for `check`, polling; fails with `what` after `timeoutMs`. */
async function until(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Sends `/kyc help` and checks it was delivered once, acked once, and answered with the usage. */
async function helpAnsweredOnce(): Promise<void> {
  const before = h.slack.socket.envelopes.length;
  const answer = await h.kyc('help');
  expect(ackText(answer.body)).toContain('/kyc link');
  const sent = h.slack.socket.envelopes.slice(before);
  expect(sent).toHaveLength(1);
  expect(sent[0]?.ackedAt).toBeDefined();
  expect(h.slack.socket.received.filter((frame) => JSON.stringify(frame).includes(sent[0]?.envelopeId ?? '-'))).toHaveLength(1);
}

describe('Socket Mode', () => {
  it('opens the socket through SLACK_API_URL with the app-level token and reports it on /healthz', async () => {
    const open = h.slack.calls.filter((c) => c.method === 'apps.connections.open');
    expect(open.length).toBeGreaterThanOrEqual(1);
    expect(open.every((c) => c.token === SECRETS.appToken)).toBe(true);
    expect(h.slack.socket.openConnections()).toBe(1);
    const { status, body } = await health();
    expect(status).toBe(200);
    expect(body).toMatchObject({ healthy: true, mode: 'socket', socket: 'connected' });
  });

  it('/kyc link: acked over the socket, the QR in the channel decodes to the link', async () => {
    const answer = await h.kyc('link');
    expect(ackText(answer.body)).toContain('Aadhaar_verification');
    const upload = await h.slack.waitFor(() => h.slack.uploads.find((u) => u.failed !== true));
    expect(decodeQr(upload.bytes)?.text).toBe(staticLinkFor('Aadhaar_verification'));
    const [done] = await h.waitForReply(answer.responseUrl);
    expect(done).toContain('posted');
  });

  it('/kyc track: the parent card, then every change as a threaded reply', async () => {
    h.cashfree.addVerification({ verification_id: 'vk_socket_track' });
    const parent = await track(h, 'vk_socket_track');
    for (let step = 1; step < 4; step += 1) {
      h.cashfree.advance('vk_socket_track');
      await h.bot.tick();
    }
    expect(threadCodes(h, 'C0KYC', parent.ts)).toEqual(STANDARD_JOURNEY.slice(1, 4).map((s) => `${s.status}/${s.sub_status}`));
  });

  it('answers errors in plain words: an unknown subcommand in the ack, a Cashfree 404 privately', async () => {
    const unknown = await h.kyc('frobnicate');
    expect(ackText(unknown.body)).toMatch(/frobnicate/);
    const missing = await h.kyc('status vk_does_not_exist');
    const [reply] = await h.waitForReply(missing.responseUrl);
    expect(reply).toMatch(/not found|no verification|does not exist/i);
    expect(reply).not.toMatch(/\n\s+at /);
  });

  it('serves POST /cashfree/webhook on PORT too: a signed push reaches the thread', async () => {
    h.cashfree.addVerification({ verification_id: 'vk_socket_push' });
    const parent = await track(h, 'vk_socket_push');
    h.cashfree.setWebhookUrl(h.webhookUrl);
    h.cashfree.advance('vk_socket_push');
    await h.slack.waitFor(() => threadCodes(h, 'C0KYC', parent.ts).length === 1, 2_000);
    h.cashfree.setWebhookUrl(undefined);
    expect(h.cashfree.webhooks.at(-1)?.status).toBe(200);
  });

  it('acks an Events API envelope', async () => {
    const record = await h.slack.socket.send('events_api', {
      type: 'event_callback',
      team_id: 'T0SIM',
      api_app_id: 'A0KYC',
      event: { type: 'app_mention', user: 'U0AGENT', text: '<@U0BOT> hi', channel: 'C0KYC', ts: '1700000000.000100', event_ts: '1700000000.000100' },
      event_id: 'Ev0SOCKET',
      event_time: 1_700_000_000,
    });
    expect(record.ackedAt).toBeDefined();
  });

  it('reconnects after refresh_requested and answers the next command exactly once', async () => {
    const opened = h.slack.socket.connectionsOpened();
    h.slack.socket.disconnect('refresh_requested');
    await h.slack.socket.waitForConnection(opened + 1, 20_000);
    await helpAnsweredOnce();
    await until('a healthy, connected bot', async () => (await health()).body['socket'] === 'connected');
  });

  it('after a warning the client moves to a fresh connection; commands keep flowing', async () => {
    const opened = h.slack.socket.connectionsOpened();
    h.slack.socket.disconnect('warning');
    await h.slack.socket.waitForConnection(opened + 1, 20_000);
    await helpAnsweredOnce();
  });

  it('reconnects after an abrupt close; /healthz says reconnecting, then 503 once down past the limit, then 200', async () => {
    const opened = h.slack.socket.connectionsOpened();
    h.slack.socket.dropConnections();
    await until('/healthz to report the socket down past the limit', async () => {
      const { status, body } = await health();
      return status === 503 && body['socket'] === 'reconnecting';
    });
    await h.slack.socket.waitForConnection(opened + 1, 20_000);
    await until('/healthz healthy again', async () => (await health()).status === 200);
    await helpAnsweredOnce();
    const metrics = await (await fetch(`http://127.0.0.1:${h.bot.port}/metrics`)).text();
    expect(Number(/^kyc_socket_reconnections_total (\d+)/m.exec(metrics)?.[1])).toBeGreaterThanOrEqual(2);
  });
});
