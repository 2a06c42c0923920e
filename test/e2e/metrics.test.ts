import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/harness.js';
import { track } from '../helpers/tracking.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ env: { CASHFREE_MAX_RPM: '77' } });
});
afterAll(async () => {
  await h.close();
});

/** The value of one series in Prometheus text format, e.g. `kyc_commands_total{subcommand="track",result="ok"}`. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

async function scrape(): Promise<{ status: number; type: string; text: string }> {
  const response = await fetch(`http://127.0.0.1:${h.bot.port}/metrics`);
  return { status: response.status, type: response.headers.get('content-type') ?? '', text: await response.text() };
}

describe('GET /metrics', () => {
  it('counts commands, Cashfree requests, Slack posts and ticks, and reads the gauges at scrape time', async () => {
    h.cashfree.addVerification({ verification_id: 'vk_metrics' });
    const parent = await track(h, 'vk_metrics');
    await h.kyc('frobnicate');
    h.cashfree.advance('vk_metrics');
    await h.bot.tick();
    expect(h.slack.thread('C0KYC', parent.ts)).toHaveLength(1);
    h.cashfree.fail({ kind: 'error', status: 500, body: { type: 'internal_error', code: 'x', message: 'down' } }, { op: 'vkyc' });
    await h.bot.tick();

    const { status, type, text } = await scrape();
    expect(status).toBe(200);
    expect(type).toContain('text/plain');
    expect(sample(text, 'kyc_commands_total{subcommand="track",result="ok"}')).toBe(1);
    expect(sample(text, 'kyc_commands_total{subcommand="invalid",result="invalid"}')).toBe(1);
    expect(sample(text, 'kyc_cashfree_requests_total{operation="vkyc_status",outcome="ok"}')).toBe(2);
    expect(sample(text, 'kyc_cashfree_requests_total{operation="vkyc_status",outcome="server_error"}')).toBe(1);
    expect(sample(text, 'kyc_slack_posts_total{kind="reply",outcome="ok"}')).toBe(1);
    expect(sample(text, 'kyc_slack_posts_total{kind="parent_update",outcome="ok"}')).toBe(1);
    expect(sample(text, 'kyc_poll_tick_duration_seconds_count')).toBe(2);
    expect(sample(text, 'kyc_budget_limit')).toBe(77);
    expect(sample(text, 'kyc_budget_used')).toBe(3);
    expect(sample(text, 'kyc_verifications_tracked')).toBe(1);
    expect(sample(text, 'kyc_verifications_due')).toBe(1);
    expect(sample(text, 'kyc_deliveries_pending')).toBe(0);
    expect(sample(text, 'kyc_poll_lease_held')).toBe(1);
    expect(text).toContain('kyc_bot_process_resident_memory_bytes');
  });
});
