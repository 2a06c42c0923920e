import { afterAll, describe, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/harness.js';
import { FAULT_JOURNEY } from '../helpers/journeys.js';
import { health, logRecords, tickUntil, track } from '../helpers/tracking.js';

/** A tracked verification whose parent message is gone from Slack ends its tracking once, with a log line. */
const harnesses: Harness[] = [];
afterAll(async () => {
  await Promise.all(harnesses.map((h) => h.close()));
});

const GONE_LINE = 'parent message is gone from Slack; tracking ended';

/** Slack calls about one parent message and its thread. */
function callsAbout(h: Harness, parentTs: string): number {
  return h.slack.calls.filter((c) => c.params['ts'] === parentTs || c.params['thread_ts'] === parentTs).length;
}

/**
 * A bot whose clock runs in real time and can be moved on, so that "no retry later" covers any backoff.
 * Its poll lease outlasts the test, so moving the clock never takes the lease away.
 */
async function botWithClock(): Promise<{ h: Harness; later: (ms: number) => Promise<void> }> {
  let skipped = 0;
  const h = await startHarness({ now: () => Date.now() + skipped, timings: { leaseTtlMs: 3_600_000 } });
  harnesses.push(h);
  /** Ticks once a second of the bot's time for `ms`: what the poll schedule would run meanwhile. */
  const later = async (ms: number) => {
    for (let passed = 0; passed < ms; passed += 1_000) {
      skipped += 1_000;
      await h.bot.tick();
    }
  };
  return { h, later };
}

describe('a parent message deleted in Slack', () => {
  it.concurrent('a reply answered thread_not_found ends the tracking; no endless retry', async ({ expect }) => {
    const { h, later } = await botWithClock();
    const id = 'vkyc_deleted_parent';
    h.cashfree.addVerification({ verification_id: id, steps: FAULT_JOURNEY });
    const parent = await track(h, id);
    h.cashfree.advance(id);
    // Deleting before the tick that posts the first reply has updated the parent would race that update.
    await tickUntil(h, 'the tick that posted the first reply and updated the parent', (stats) => (stats?.posted ?? 0) >= 1);
    expect(h.slack.thread('C0KYC', parent.ts)).toHaveLength(1);

    h.slack.deleteMessage('C0KYC', parent.ts);
    h.cashfree.advance(id);
    await tickUntil(h, 'the tracking-ended log line', () =>
      logRecords(h).some((r) => r['msg'] === GONE_LINE && r['verification_id'] === id && r['slack_error'] === 'thread_not_found'),
    );
    const calls = callsAbout(h, parent.ts);
    const checks = h.cashfree.pollCount(id);
    h.cashfree.advance(id);
    await later(4_000);
    expect(callsAbout(h, parent.ts)).toBe(calls);
    expect(h.cashfree.pollCount(id)).toBe(checks);
    expect(logRecords(h).filter((r) => r['msg'] === GONE_LINE)).toHaveLength(1);
    expect((await health(h)).status).toBe(200);
  });

  it.concurrent('a parent update answered message_not_found ends the tracking; no endless retry', async ({ expect }) => {
    const { h, later } = await botWithClock();
    const id = 'vkyc_unupdatable_parent';
    h.cashfree.addVerification({ verification_id: id, steps: FAULT_JOURNEY });
    const parent = await track(h, id);

    // The reply goes through, but every later edit of the parent says it is gone.
    h.slack.fail('chat.update', { error: 'message_not_found' }, 100);
    h.cashfree.advance(id);
    await tickUntil(h, 'the tracking-ended log line', () =>
      logRecords(h).some((r) => r['msg'] === GONE_LINE && r['verification_id'] === id && r['slack_error'] === 'message_not_found'),
    );
    const updates = () => h.slack.calls.filter((c) => c.method === 'chat.update').length;
    const before = updates();
    const checks = h.cashfree.pollCount(id);
    h.cashfree.advance(id);
    await later(4_000);
    expect(updates()).toBe(before);
    expect(h.cashfree.pollCount(id)).toBe(checks);
    expect(logRecords(h).filter((r) => r['msg'] === GONE_LINE)).toHaveLength(1);
    expect(h.slack.thread('C0KYC', parent.ts)).toHaveLength(1);
    expect((await health(h)).status).toBe(200);
  });
});
