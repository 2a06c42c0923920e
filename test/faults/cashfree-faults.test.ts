import { afterAll, describe, it } from 'vitest';
import { documentedFault, type CashfreeFault } from '../../sim/cashfree.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { FAULT_JOURNEY, FAULT_JOURNEY_REPLIES } from '../helpers/journeys.js';
import { advanceAndObserve, health, logRecords, settledThread, track } from '../helpers/tracking.js';

/**
 * Cashfree fails the status check between changes. Each fault runs against its own bot and
 * simulators, concurrently, in this process: the real client, poller and delivery, ticked by hand.
 */
const harnesses: Harness[] = [];
afterAll(async () => {
  await Promise.all(harnesses.map((h) => h.close()));
});

interface CashfreeCase {
  name: string;
  /** Served to consecutive status checks, one each. */
  faults: CashfreeFault[];
  /** The `cashfree_code` the bot logs for each failed check. */
  codes: (string | RegExp)[];
}

const CASES: CashfreeCase[] = [
  { name: 'HTTP 500', faults: [documentedFault('request_failed')], codes: ['request_failed'] },
  {
    name: '429 with Retry-After',
    faults: [documentedFault('too_many_requests_per_ip', { 'retry-after': '1' })],
    codes: ['too_many_requests_per_ip'],
  },
  { name: 'a hung request (timeout)', faults: [{ kind: 'hang' }], codes: ['timeout'] },
  { name: 'a closed connection', faults: [{ kind: 'close' }], codes: [/^(und_err_socket|econnreset|epipe)$/] },
  {
    name: 'an HTML 502 page, then a truncated JSON body',
    faults: [{ kind: 'html', status: 502 }, { kind: 'truncated' }],
    codes: ['http_502', 'unreadable_response'],
  },
];

describe('Cashfree failures while polling', () => {
  for (const c of CASES) {
    it.concurrent(`${c.name}: every change is posted exactly once, in order, and the bot stays healthy`, async ({ expect }) => {
      const h = await startHarness({ env: { CASHFREE_TIMEOUT_MS: '1500' } });
      harnesses.push(h);
      const id = `vkyc_cf_${CASES.indexOf(c)}`;
      h.cashfree.addVerification({ verification_id: id, steps: FAULT_JOURNEY });
      const parent = await track(h, id);

      await advanceAndObserve(h, id);
      for (const fault of c.faults) h.cashfree.fail(fault, { op: 'vkyc' });
      await advanceAndObserve(h, id);
      const failed = logRecords(h)
        .filter((r) => r['msg'] === 'status check failed; will retry')
        .map((r) => r['cashfree_code']);
      expect(failed).toEqual(c.codes.map((code) => (typeof code === 'string' ? code : expect.stringMatching(code))));
      await advanceAndObserve(h, id);
      await advanceAndObserve(h, id);

      const codes = await settledThread(h, 'C0KYC', parent.ts, FAULT_JOURNEY_REPLIES.length);
      expect(codes).toEqual(FAULT_JOURNEY_REPLIES);
      expect(h.slack.thread('C0KYC', parent.ts)).toHaveLength(FAULT_JOURNEY_REPLIES.length);
      expect((await health(h)).status).toBe(200);
      expect(h.logs.filter((line) => line.includes('"level":"error"'))).toEqual([]);
    });
  }
});
