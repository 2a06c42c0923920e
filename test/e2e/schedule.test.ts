import { afterEach, describe, expect, it } from 'vitest';
import { STANDARD_JOURNEY } from '../../sim/cashfree.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { threadCodes, track } from '../helpers/tracking.js';

/**
 * A morning batch: 30 links tracked at once, none opened yet, at a budget of
 * 30 requests a minute (one every two seconds). One customer opens the link
 * soon after, spends a minute on the Aadhaar step, then moves one step every
 * 8 s. Polled round-robin, each verification is seen once a minute: the
 * Aadhaar step shows, and most of the rest never reaches the thread. Nobody
 * can see the link opened sooner than the batch's share of the budget allows;
 * from then on, the scheduler follows the customer who moves, and the rest are
 * still polled within the 5-minute bound. The clock is
 * moved by hand, one second per tick.
 */
const clock = { now: Date.parse('2026-12-01T09:00:00Z') };
const BATCH = 30;
const STEP_MS = 8_000;
const FIRST_STEP_MS = 70_000;
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('freshness on a batch of freshly tracked links', () => {
  it('follows the one customer who moves, within the budget, while the rest wait', async () => {
    h = await startHarness({ now: () => clock.now, tickMaxMs: 1, env: { CASHFREE_MAX_RPM: String(BATCH), POLL_MIN_CHANCE: '0.05' } });
    const harness = h;
    const ids = Array.from({ length: BATCH }, (_, i) => `vk_batch_${String(i).padStart(2, '0')}`);
    const parents = new Map<string, string>();
    for (const id of ids) {
      harness.cashfree.addVerification({ verification_id: id });
      parents.set(id, (await track(harness, id)).ts);
      clock.now += 2_100;
    }
    const lastTrackedAt = clock.now - 2_100;
    const mover = ids[17] ?? '';
    // A customer who joins the queue at once (a booked call is another test's: its time makes it due).
    const steps = STANDARD_JOURNEY.slice(1).filter((step) => step.meeting_schedule === undefined);
    const journey = steps.map((step) => `${step.status}/${step.sub_status}`);
    const pollsBefore = ids.map((id) => harness.cashfree.pollCount(id)).reduce((a, b) => a + b, 0);
    const started = clock.now;
    let nextStepAt = clock.now + 5_000;
    let done = 0;
    const final = journey.at(-1) ?? '';
    const thread = () => threadCodes(harness, 'C0KYC', parents.get(mover) ?? '');
    // Until the decision is posted: the auditor's step is one that usually takes hours, so it may wait for the bound.
    while (!thread().includes(final) && clock.now - started < FIRST_STEP_MS + journey.length * STEP_MS + 6 * 60_000) {
      const step = steps[done];
      if (step !== undefined && clock.now >= nextStepAt) {
        harness.cashfree.setState(mover, { status: step.status, sub_status: step.sub_status });
        done += 1;
        nextStepAt += done === 1 ? FIRST_STEP_MS : STEP_MS;
      }
      await harness.bot.tick();
      clock.now += 1_000;
    }
    // In order, ending with the decision, and three quarters of the 8 states or more. Round-robin sees each
    // verification once a minute here: the Aadhaar step, and at most one of the 8-second steps after it.
    const posted = thread();
    expect(posted.at(-1)).toBe(final);
    expect(journey.filter((code) => posted.includes(code))).toEqual(posted);
    expect(posted.length).toBeGreaterThanOrEqual(6);
    // Never more than the budget: 30 a minute over the whole run, with the tracking's own requests before it.
    const polls = ids.map((id) => harness.cashfree.pollCount(id)).reduce((a, b) => a + b, 0) - pollsBefore;
    expect(polls).toBeLessThanOrEqual(Math.ceil(((clock.now - started) / 60_000) * BATCH) + 2);
    // The others were still looked at: none waited past the bound.
    // The others are still looked at: none waits past the 5-minute bound from its tracking.
    const boundPassed = lastTrackedAt + 5 * 60_000 + 2_000;
    while (clock.now < boundPassed) {
      await harness.bot.tick();
      clock.now += 1_000;
    }
    for (const id of ids) expect(harness.cashfree.pollCount(id)).toBeGreaterThan(1);
  }, 60_000);
});
