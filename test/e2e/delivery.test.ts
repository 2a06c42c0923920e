import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { STANDARD_JOURNEY } from '../../sim/cashfree.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { threadCodes, track } from '../helpers/tracking.js';

const journey = STANDARD_JOURNEY.slice(1).map((s) => `${s.status}/${s.sub_status}`);
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** Ticks until `done` holds (the backoff in these tests is one second), at most `limit` times. */
async function tickUntil(harness: Harness, done: () => boolean, limit = 40): Promise<void> {
  for (let i = 0; i < limit && !done(); i += 1) {
    await harness.bot.tick();
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('nothing lost, nothing twice', () => {
  it('posts every change exactly once when Slack fails with 500, 429, network errors and not_in_channel', async () => {
    h = await startHarness();
    const harness = h;
    harness.cashfree.addVerification({ verification_id: 'vk_slack_faults' });
    const parent = await track(harness, 'vk_slack_faults');
    const faults = [
      { status: 500 },
      { status: 429, retryAfter: 1 },
      { close: true as const },
      { error: 'not_in_channel' },
      { error: 'channel_not_found' },
      { error: 'internal_error' },
    ];
    for (const [i] of journey.entries()) {
      const fault = faults[i % faults.length];
      if (fault !== undefined) harness.slack.fail('chat.postMessage', fault, 1);
      harness.cashfree.advance('vk_slack_faults');
      await harness.bot.tick();
    }
    // Each definite failure backs the thread off a little more; lost answers are retried at once.
    await tickUntil(harness, () => threadCodes(harness, 'C0KYC', parent.ts).length >= journey.length, 150);
    expect(threadCodes(harness, 'C0KYC', parent.ts)).toEqual(journey);
  }, 60_000);

  it('posts every change exactly once when Cashfree fails with 500, 429, garbage, timeouts and resets', async () => {
    h = await startHarness({ env: { CASHFREE_TIMEOUT_MS: '800' } });
    const harness = h;
    harness.cashfree.addVerification({ verification_id: 'vk_cf_faults' });
    const parent = await track(harness, 'vk_cf_faults');
    const faults = [
      { kind: 'error' as const, status: 500, body: { type: 'internal_error', code: 'request_failed', message: 'retry later' } },
      { kind: 'error' as const, status: 429, body: { type: 'rate_limit_error', code: 'too_many_requests_per_ip', message: 'slow down' }, headers: { 'retry-after': '1' } },
      { kind: 'html' as const },
      { kind: 'truncated' as const },
      { kind: 'hang' as const },
      { kind: 'close' as const },
    ];
    for (const [i] of journey.entries()) {
      const fault = faults[i % faults.length];
      if (fault !== undefined) harness.cashfree.fail(fault, { op: 'vkyc' });
      harness.cashfree.advance('vk_cf_faults');
      await harness.bot.tick();
      await tickUntil(harness, () => threadCodes(harness, 'C0KYC', parent.ts).length > i);
    }
    expect(threadCodes(harness, 'C0KYC', parent.ts)).toEqual(journey);
    expect(harness.logs.some((line) => line.includes('status check failed'))).toBe(true);
  }, 90_000);

  it('continues after a restart on the same database without repeating anything', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kyc-restart-'));
    try {
      h = await startHarness({ dir });
      const harness = h;
      harness.cashfree.addVerification({ verification_id: 'vk_restart' });
      const parent = await track(harness, 'vk_restart');
      harness.cashfree.advance('vk_restart');
      await harness.bot.tick();
      // A change is recorded but Slack is down when the process stops: it must survive the restart.
      // The Web API client tries three times (two retries) before the change is left pending.
      harness.slack.fail('chat.postMessage', { status: 503 }, 3);
      harness.cashfree.advance('vk_restart');
      await harness.bot.tick();
      expect(threadCodes(harness, 'C0KYC', parent.ts)).toHaveLength(1);
      await harness.restart();
      await tickUntil(harness, () => threadCodes(harness, 'C0KYC', parent.ts).length >= 2);
      for (let step = 3; step < STANDARD_JOURNEY.length; step += 1) {
        harness.cashfree.advance('vk_restart');
        await harness.bot.tick();
      }
      await harness.bot.tick();
      expect(threadCodes(harness, 'C0KYC', parent.ts)).toEqual(journey);
      expect(statSync(join(dir, 'kyc.sqlite')).mode & 0o777).toBe(0o600);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('spends CASHFREE_MAX_RPM evenly and tells an agent when no request is free', async () => {
    // 6 a minute is a burst of 1: one request now, the next 10 s later (test/unit/budget.test.ts pins the pacing).
    h = await startHarness({ env: { CASHFREE_MAX_RPM: '6' } });
    const harness = h;
    harness.cashfree.addVerification({ verification_id: 'vk_budget_0' });
    await track(harness, 'vk_budget_0');
    const over = await harness.kyc('status vk_budget_0');
    expect((await harness.waitForReply(over.responseUrl))[0]).toContain('budget');
    expect(harness.cashfree.requests.filter((r) => r.op === 'vkyc')).toHaveLength(1);
  }, 30_000);

  it('posts replies from the cron schedule without manual ticks', async () => {
    h = await startHarness({ schedule: true });
    const harness = h;
    harness.cashfree.addVerification({ verification_id: 'vk_cron' });
    const parent = await track(harness, 'vk_cron');
    harness.cashfree.advance('vk_cron');
    await harness.slack.waitFor(() => threadCodes(harness, 'C0KYC', parent.ts).length === 1, 10_000);
    harness.cashfree.advance('vk_cron');
    await harness.slack.waitFor(() => threadCodes(harness, 'C0KYC', parent.ts).length === 2, 10_000);
    expect(threadCodes(harness, 'C0KYC', parent.ts)).toEqual(journey.slice(0, 2));
  }, 30_000);
});

describe('a post whose answer is lost', () => {
  it('is found in the thread on the next attempt and not posted again', async () => {
    h = await startHarness();
    const harness = h;
    harness.cashfree.addVerification({ verification_id: 'vk_lost_answer' });
    const parent = await track(harness, 'vk_lost_answer');
    for (const [i] of journey.entries()) {
      // Every other change: Slack posts it, then the connection drops before the bot hears back.
      if (i % 2 === 0) harness.slack.fail('chat.postMessage', { dropAnswer: true }, 1);
      harness.cashfree.advance('vk_lost_answer');
      await tickUntil(harness, () => threadCodes(harness, 'C0KYC', parent.ts).length > i);
    }
    for (let i = 0; i < 3; i += 1) await harness.bot.tick();
    expect(threadCodes(harness, 'C0KYC', parent.ts)).toEqual(journey);
    expect(harness.slack.calls.filter((c) => c.method === 'conversations.replies').length).toBeGreaterThan(0);
  });
});
