import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendSlashCommand } from '../../sim/sign.js';
import { ackText, SECRETS, startHarness, type Harness } from '../helpers/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ env: { KYC_ALLOWED_USERS: 'U0AGENT,U0BOSS', KYC_ALLOWED_CHANNELS: 'C0KYC' } });
});
afterAll(async () => {
  await h.close();
});

describe('the Slack app', () => {
  it('answers /healthz with a small JSON status once ready', async () => {
    const response = await fetch(`http://127.0.0.1:${h.bot.port}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ ready: true, mode: 'http' });
  });

  it('rejects bad, missing and stale signatures with 401 and runs nothing', async () => {
    const params = { text: 'link', responseUrl: h.slack.responseUrl() };
    const before = h.cashfree.requests.length;
    const bad = await sendSlashCommand(h.eventsUrl, SECRETS.signingSecret, params, { signature: 'v0=' + '0'.repeat(64) });
    const missing = await sendSlashCommand(h.eventsUrl, SECRETS.signingSecret, params, { signature: null });
    const wrongSecret = await sendSlashCommand(h.eventsUrl, 'not-the-secret', params);
    const stale = await sendSlashCommand(h.eventsUrl, SECRETS.signingSecret, params, {
      timestampSeconds: Math.floor(Date.now() / 1000) - 10 * 60,
    });
    expect([bad.status, missing.status, wrongSecret.status, stale.status]).toEqual([401, 401, 401, 401]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(h.cashfree.requests.length).toBe(before);
  });

  it('refuses users and channels outside the allowed lists, without calling Cashfree, and logs it', async () => {
    const before = h.cashfree.requests.length;
    const stranger = await h.kyc('link', { userId: 'U0STRANGER' });
    expect(ackText(stranger.body)).toContain('not allowed');
    const elsewhere = await h.kyc('track vk_x', { channelId: 'C0ELSEWHERE' });
    expect(ackText(elsewhere.body)).toContain('not allowed');
    expect(h.cashfree.requests.length).toBe(before);
    const refusals = h.logs.map((line) => JSON.parse(line) as Record<string, unknown>).filter((l) => l['result'] === 'refused');
    expect(refusals).toEqual([
      expect.objectContaining({ user: 'U0STRANGER', channel: 'C0KYC', subcommand: 'link' }),
      expect.objectContaining({ user: 'U0AGENT', channel: 'C0ELSEWHERE', subcommand: 'track' }),
    ]);
    const help = await h.kyc('help');
    expect(ackText(help.body)).toContain('/kyc link');
  });
});
