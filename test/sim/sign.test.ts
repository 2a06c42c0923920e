import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { sendSlashCommand, signSlackBody, slashCommandBody } from '../../sim/sign.js';

describe('sim/sign', () => {
  it('signs like Slack: v0= hex HMAC-SHA256 of v0:<ts>:<body>', () => {
    const headers = signSlackBody('secret', 'a=b', 1700000000);
    const expected = createHmac('sha256', 'secret').update('v0:1700000000:a=b').digest('hex');
    expect(headers).toEqual({
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': '1700000000',
      'x-slack-signature': `v0=${expected}`,
    });
  });

  it('builds a /kyc payload and posts it, with or without signature headers', async () => {
    const body = new URLSearchParams(slashCommandBody({ text: 'link Aadhaar_verification', responseUrl: 'http://x/r/1' }));
    expect(Object.fromEntries(body)).toMatchObject({
      command: '/kyc', text: 'link Aadhaar_verification', user_id: 'U0AGENT', channel_id: 'C0KYC', team_id: 'T0SIM', api_app_id: 'A0KYC', token: 'legacy', response_url: 'http://x/r/1',
    });

    const seen: Record<string, string | string[] | undefined>[] = [];
    const server = createServer((req, res) => {
      seen.push(req.headers);
      req.resume().on('end', () => res.end('acked'));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
    try {
      const sent = await sendSlashCommand(url, 'secret', { text: 'help', responseUrl: 'http://x/r/2' });
      expect(sent).toMatchObject({ status: 200, body: 'acked' });
      await sendSlashCommand(url, 'secret', { text: 'help', responseUrl: 'http://x/r/3' }, { signature: null });
      expect(seen[0]?.['x-slack-signature']).toMatch(/^v0=[0-9a-f]{64}$/);
      expect(seen[1]?.['x-slack-signature']).toBeUndefined();
      expect(seen[1]?.['x-slack-request-timestamp']).toBeUndefined();
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
