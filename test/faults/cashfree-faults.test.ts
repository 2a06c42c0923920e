import { afterAll, describe, it } from 'vitest';
import { documentedFault, type CashfreeFault } from '../../sim/cashfree.js';
import {
  FAULT_JOURNEY,
  FAULT_JOURNEY_REPLIES,
  advanceAndObserve,
  logRecords,
  settledThread,
  startWorld,
  trackInChild,
  type World,
} from '../helpers/child-bot.js';

/**
 * Cashfree fails the status check between changes. Each fault runs against its
 * own bot process and simulators, concurrently.
 */
const worlds: World[] = [];
afterAll(async () => {
  await Promise.all(worlds.map((world) => world.close()));
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
      const world = await startWorld();
      worlds.push(world);
      const bot = await world.startBot({ CASHFREE_TIMEOUT_MS: '1500' });
      const id = `vkyc_cf_${CASES.indexOf(c)}`;
      world.cashfree.addVerification({ verification_id: id, steps: FAULT_JOURNEY });
      const parent = await trackInChild(world, bot, id);

      await advanceAndObserve(world, id);
      for (const fault of c.faults) world.cashfree.fail(fault, { op: 'vkyc' });
      await advanceAndObserve(world, id);
      const failed = logRecords(bot)
        .filter((r) => r['msg'] === 'status check failed; will retry')
        .map((r) => r['cashfree_code']);
      expect(failed).toEqual(c.codes.map((code) => (typeof code === 'string' ? code : expect.stringMatching(code))));
      await advanceAndObserve(world, id);
      await advanceAndObserve(world, id);

      const codes = await settledThread(world, 'C0KYC', parent.ts, FAULT_JOURNEY_REPLIES.length);
      expect(codes).toEqual(FAULT_JOURNEY_REPLIES);
      expect(world.slack.thread('C0KYC', parent.ts)).toHaveLength(FAULT_JOURNEY_REPLIES.length);
      expect(await bot.healthz()).toBe(200);
      expect(bot.lines.filter((line) => line.includes('"level":"error"'))).toEqual([]);
    });
  }
});
