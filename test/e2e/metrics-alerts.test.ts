import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/harness.js';
import { track } from '../helpers/tracking.js';

/** The series ops/prometheus/alerts.yml alerts on, beside those test/e2e/metrics.test.ts checks. */

/** The value of one series in Prometheus text format, e.g. `kyc_socket_connected`. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

async function scrape(h: Harness): Promise<string> {
  return (await fetch(`http://127.0.0.1:${h.bot.port}/metrics`)).text();
}

const serverError = { kind: 'error', status: 500, body: { type: 'internal_error', code: 'x', message: 'down' } } as const;

describe('alerting series over HTTP mode', () => {
  let h: Harness;
  beforeAll(async () => {
    // One request at a time: the breaker test counts which requests fail, and a success still in flight would close it again.
    h = await startHarness({ env: { CASHFREE_MAX_RPM: '1000', POLL_CONCURRENCY: '1' } });
  });
  afterAll(async () => {
    await h.close();
  });
  afterEach(() => {
    h.slack.reset();
  });

  it('counts every 429 from Slack by method, in a command and in delivery', async () => {
    h.slack.fail('chat.postMessage', { status: 429, retryAfter: 1 }, 1);
    h.cashfree.addVerification({ verification_id: 'vk_slack_429_command' });
    const answer = await h.kyc('track vk_slack_429_command');
    expect(await h.waitForReply(answer.responseUrl)).toEqual([expect.stringContaining('rate limiting')]);
    expect(sample(await scrape(h), 'kyc_slack_rate_limited_total{method="chat.postMessage"}')).toBe(1);

    h.cashfree.addVerification({ verification_id: 'vk_slack_429' });
    await track(h, 'vk_slack_429');
    h.cashfree.advance('vk_slack_429');
    h.slack.fail('chat.postMessage', { status: 429, retryAfter: 1 }, 1);
    expect(await h.bot.tick()).toMatchObject({ postFailed: 1 });
    expect(sample(await scrape(h), 'kyc_slack_rate_limited_total{method="chat.postMessage"}')).toBe(2);
  });

  it('counts a SQLite error that fails a poll tick, by its code', async () => {
    const db = new Database(join(h.dir, 'kyc.sqlite'));
    try {
      db.exec('ALTER TABLE deliveries RENAME TO deliveries_away');
      // The tick ends without polling (the next one tries again) and the database shows as degraded.
      await expect(h.bot.tick()).resolves.toBeUndefined();
    } finally {
      db.exec('ALTER TABLE deliveries_away RENAME TO deliveries');
      db.close();
    }
    expect(sample(await scrape(h), 'kyc_database_errors_total{task="poll",code="SQLITE_ERROR"}')).toBe(1);
    await expect(h.bot.tick()).resolves.toBeDefined();
  });

  it('shows the circuit breaker open while Cashfree fails for everyone', async () => {
    expect(sample(await scrape(h), 'kyc_cashfree_breaker_open')).toBe(0);
    for (const id of ['vk_breaker_1', 'vk_breaker_2', 'vk_breaker_3']) {
      h.cashfree.addVerification({ verification_id: id });
      await track(h, id);
    }
    h.cashfree.fail(serverError, { op: 'vkyc', times: 3 });
    expect(await h.bot.tick()).toMatchObject({ breaker: 'open' });
    expect(sample(await scrape(h), 'kyc_cashfree_breaker_open')).toBe(1);
    await h.bot.tick();
    expect(sample(await scrape(h), 'kyc_cashfree_breaker_open')).toBe(0);
  });

  it('exports no socket series in HTTP mode', async () => {
    expect(await scrape(h)).not.toContain('kyc_socket_connected');
  });
});

describe('alerting series over Socket Mode', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ socketMode: true });
  });
  afterAll(async () => {
    await h.close();
  });

  it('kyc_socket_connected is 1 while connected and 0 once the connection drops', async () => {
    expect(sample(await scrape(h), 'kyc_socket_connected')).toBe(1);
    h.slack.socket.dropConnections();
    await expect.poll(async () => sample(await scrape(h), 'kyc_socket_connected'), { timeout: 5_000 }).toBe(0);
  });
});
