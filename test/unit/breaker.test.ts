import { describe, expect, it } from 'vitest';
import { breakerAfter, CLOSED_BREAKER, type Breaker, type BreakerEvent } from '../../src/vkyc/breaker.js';

const fail = (verificationId: string): BreakerEvent => ({ kind: 'systemic_failure', verificationId });
const run = (events: BreakerEvent[], from: Breaker = CLOSED_BREAKER) => events.reduce((b, e) => breakerAfter(b, e), from);

describe('circuit breaker', () => {
  it('opens after systemic failures across three distinct verifications with no success between', () => {
    expect(run([fail('a'), fail('b')]).state).toBe('closed');
    const open = run([fail('a'), fail('b'), fail('c')]);
    expect(open).toEqual({ state: 'open', failing: ['a', 'b', 'c'], opened: 1 });
  });

  it('does not open for one verification failing again and again', () => {
    expect(run([fail('a'), fail('a'), fail('a'), fail('a'), fail('b')]).state).toBe('closed');
  });

  it('starts counting again after a success', () => {
    expect(run([fail('a'), fail('b'), { kind: 'success' }, fail('c'), fail('d')]).state).toBe('closed');
  });

  it('ignores errors about one verification and rate limits: Cashfree answered', () => {
    const events: BreakerEvent[] = [fail('a'), { kind: 'neutral' }, fail('b'), { kind: 'neutral' }, fail('c')];
    expect(run(events).state).toBe('open');
    expect(run([{ kind: 'neutral' }, { kind: 'neutral' }, { kind: 'neutral' }])).toBe(CLOSED_BREAKER);
  });

  it('stays open through failed probes and neutral answers, and closes on the first success', () => {
    const open = run([fail('a'), fail('b'), fail('c')]);
    const probed = run([fail('d'), fail('a'), { kind: 'neutral' }], open);
    expect(probed.state).toBe('open');
    expect(probed.opened).toBe(1);
    const closed = breakerAfter(probed, { kind: 'success' });
    expect(closed).toEqual({ state: 'closed', failing: [], opened: 1 });
    expect(run([fail('x'), fail('y'), fail('z')], closed).opened).toBe(2);
  });
});
