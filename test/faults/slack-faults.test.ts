import { afterAll, describe, it } from 'vitest';
import type { SlackFault } from '../../sim/slack.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { FAULT_JOURNEY, FAULT_JOURNEY_REPLIES } from '../helpers/journeys.js';
import { advanceAndObserve, health, logRecords, settledThread, tickUntil, track } from '../helpers/tracking.js';

/**
 * Slack refuses chat.postMessage while status changes pile up. Each fault runs against its own bot
 * and simulators, concurrently, in this process: the real Web API client and delivery, ticked by hand.
 */
const harnesses: Harness[] = [];
afterAll(async () => {
  await Promise.all(harnesses.map((h) => h.close()));
});

interface SlackCase {
  name: string;
  fault: SlackFault;
  /** The web client retries 5xx twice within one call; enough faults to fail at least one whole call. */
  times: number;
  /** The `slack_error` the bot logs when a post fails. */
  code: string;
}

const CASES: SlackCase[] = [
  { name: 'HTTP 500', fault: { status: 500 }, times: 4, code: 'http_500' },
  { name: '429 with Retry-After', fault: { status: 429, retryAfter: 2 }, times: 2, code: 'ratelimited' },
  { name: 'not_in_channel', fault: { error: 'not_in_channel' }, times: 3, code: 'not_in_channel' },
  { name: 'channel_not_found', fault: { error: 'channel_not_found' }, times: 3, code: 'channel_not_found' },
  { name: 'invalid_auth', fault: { error: 'invalid_auth' }, times: 3, code: 'invalid_auth' },
];

describe('Slack failures while posting status changes', () => {
  for (const c of CASES) {
    it.concurrent(`${c.name}: every change is posted exactly once, in order, and the bot stays healthy`, async ({ expect }) => {
      const h = await startHarness();
      harnesses.push(h);
      const id = `vkyc_slack_${c.code}`;
      h.cashfree.addVerification({ verification_id: id, steps: FAULT_JOURNEY });
      const parent = await track(h, id);

      h.slack.fail('chat.postMessage', c.fault, c.times);
      // Two changes are observed while Slack refuses posts, so both wait in the table, in order.
      await advanceAndObserve(h, id);
      await advanceAndObserve(h, id);
      await tickUntil(h, `a failed post logged with ${c.code}`, () =>
        logRecords(h).some((r) => r['msg'] === 'status change not posted; will retry' && r['slack_error'] === c.code),
      );
      await advanceAndObserve(h, id);
      await advanceAndObserve(h, id);

      const codes = await settledThread(h, 'C0KYC', parent.ts, FAULT_JOURNEY_REPLIES.length);
      expect(codes).toEqual(FAULT_JOURNEY_REPLIES);
      expect(h.slack.thread('C0KYC', parent.ts)).toHaveLength(FAULT_JOURNEY_REPLIES.length);
      const latest = h.slack.messages('C0KYC').find((m) => m.ts === parent.ts);
      expect(JSON.stringify(latest?.edits.at(-1))).toContain('AUDITOR_APPROVED');
      expect((await health(h)).status).toBe(200);
    });
  }
});
