import { describe, expect, it } from 'vitest';
import { vkycStateSchema } from '../../src/cashfree/schemas.js';
import { describeStatus } from '../../src/vkyc/descriptions.js';
import { finalReasonFor, hasChanged, isAbandoned, isTerminal, linkExpiryInstant, nextDeliveryAt } from '../../src/vkyc/lifecycle.js';

const NOW = Date.parse('2026-11-22T10:00:00Z');
const TERMINAL = ['REJECTED', 'EXPIRED', 'AUDITOR_REVIEWED'];

describe('hasChanged', () => {
  it('sees a change of status or sub-status, and the first observation', () => {
    expect(hasChanged(undefined, { status: 'RECEIVED', subStatus: 'LINK_GENERATED' })).toBe(true);
    expect(hasChanged({ status: 'A', subStatus: 'B' }, { status: 'A', subStatus: 'B' })).toBe(false);
    expect(hasChanged({ status: 'A', subStatus: 'B' }, { status: 'A', subStatus: 'C' })).toBe(true);
    expect(hasChanged({ status: 'A', subStatus: 'B' }, { status: 'X', subStatus: 'B' })).toBe(true);
  });
});

describe('when tracking ends', () => {
  it('ends on a terminal status, case-insensitively', () => {
    expect(isTerminal('rejected', TERMINAL)).toBe(true);
    expect(isTerminal('PRE_VIDEO_CALL', TERMINAL)).toBe(false);
  });

  it('ends when the link expired before the customer got past the pre-call checks', () => {
    const past = new Date(NOW - 1).toISOString();
    const future = new Date(NOW + 60_000).toISOString();
    expect(isAbandoned('PRE_VIDEO_CALL', past, NOW)).toBe(true);
    expect(isAbandoned('RECEIVED', past, NOW)).toBe(true);
    expect(isAbandoned('VIDEO_CALL', past, NOW)).toBe(false);
    expect(isAbandoned('PRE_VIDEO_CALL', future, NOW)).toBe(false);
    expect(isAbandoned('PRE_VIDEO_CALL', undefined, NOW)).toBe(false);
    expect(isAbandoned('PRE_VIDEO_CALL', 'not a date', NOW)).toBe(false);
    expect(finalReasonFor('REJECTED', past, TERMINAL, NOW)).toBe('terminal');
    expect(finalReasonFor('PRE_VIDEO_CALL', past, TERMINAL, NOW)).toBe('link_expired');
    expect(finalReasonFor('PRE_VIDEO_CALL', future, TERMINAL, NOW)).toBeUndefined();
  });
});

describe('a link that expires on a day', () => {
  const expiryOf = (link_expiry: string) =>
    vkycStateSchema.parse({ verification_id: 'vk_1', status: 'RECEIVED', sub_status: 'LINK_GENERATED', link_expiry }).linkExpiry ?? '';

  it('works until the end of that day in IST, whether Cashfree writes the date alone or as midnight UTC', () => {
    const endOfDayIst = '2025-06-21T18:29:59.999Z';
    expect(expiryOf('2025-06-21')).toBe(endOfDayIst);
    expect(expiryOf('2025-06-21T00:00:00.000Z')).toBe(endOfDayIst);
    expect(expiryOf('2025-06-21T00:00:00Z')).toBe(endOfDayIst);
    for (const expiry of [expiryOf('2025-06-21'), expiryOf('2025-06-21T00:00:00.000Z')]) {
      expect(finalReasonFor('RECEIVED', expiry, TERMINAL, Date.parse('2025-06-21T23:59:00+05:30'))).toBeUndefined();
      expect(finalReasonFor('RECEIVED', expiry, TERMINAL, Date.parse('2025-06-22T00:00:00+05:30'))).toBe('link_expired');
    }
  });

  it('takes any other time at its word, and keeps what is no date', () => {
    expect(linkExpiryInstant('2025-06-21T08:48:09.000Z')).toBe('2025-06-21T08:48:09.000Z');
    expect(linkExpiryInstant('2025-06-21T00:00:00+05:30')).toBe('2025-06-21T00:00:00+05:30');
    expect(linkExpiryInstant('2025-13-45')).toBe('2025-13-45');
    expect(linkExpiryInstant('soon')).toBe('soon');
  });
});

describe('nextDeliveryAt', () => {
  it('retries Slack posts soon, then less often', () => {
    const backoff = { baseMs: 15_000, maxMs: 900_000 };
    expect(nextDeliveryAt(1, NOW, backoff)).toBe(NOW + 1_000);
    expect(nextDeliveryAt(4, NOW, backoff)).toBe(NOW + 8_000);
    expect(nextDeliveryAt(4, NOW, backoff, 2_000)).toBe(NOW + 2_000);
  });
});

describe('describeStatus', () => {
  it('describes known codes in plain words and falls back for unknown ones', () => {
    expect(describeStatus('PRE_VIDEO_CALL', 'USER_PROXY_DETECTED')).toContain('VPN');
    expect(describeStatus('RECEIVED', 'SOMETHING_NEW')).toContain('received');
    expect(describeStatus('NEW_STATUS', 'NEW_SUB')).toContain('does not know');
  });
});
