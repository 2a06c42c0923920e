import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../src/listeners/commands/parse.js';
import { openStore } from '../../src/store/store.js';
import { findStartsByPhone, recordStartedPhone } from '../../src/tracking/phones.js';

describe('/kyc find', () => {
  it('takes every word after find as the number, and asks for one when it is missing', () => {
    expect(parseCommand('find 98765 43210')).toEqual({ kind: 'find', phone: '98765 43210' });
    expect(parseCommand('FIND +919876543210')).toEqual({ kind: 'find', phone: '+919876543210' });
    expect(parseCommand('find')).toMatchObject({ kind: 'invalid', message: expect.stringContaining('/kyc find <phone>') });
  });

  it('records a start under the normalised number only with a key, and finds it however it is typed', () => {
    const store = openStore(':memory:');
    const deps = { config: { phoneKey: 'unit-find-phone-key-0123456789abcdef' }, store, now: () => 1_700_000_000_000 };
    expect(recordStartedPhone({ ...deps, config: { phoneKey: undefined } }, { phone: '9876543210', verificationId: 'vk_x', by: 'U1' })).toBe(false);
    expect(recordStartedPhone(deps, { phone: 'not a phone', verificationId: 'vk_y', by: 'U1' })).toBe(false);
    expect(recordStartedPhone(deps, { phone: '+91 98765-43210', verificationId: 'vk_1', by: 'U1', channelId: 'C1' })).toBe(true);
    expect(findStartsByPhone(deps, '098765 43210')).toMatchObject({ kind: 'found', total: 1, shown: [{ verification_id: 'vk_1', started_by: 'U1', channel_id: 'C1', status: null }] });
    expect(findStartsByPhone(deps, '12345')).toEqual({ kind: 'invalid' });
    expect(findStartsByPhone({ ...deps, config: { phoneKey: undefined } }, '9876543210')).toEqual({ kind: 'disabled' });
    expect(store.phones.purgeBefore(1_700_000_000_001)).toBe(1);
    store.close();
  });
});
