import { describe, expect, it } from 'vitest';
import { parseConfig, secretsOf } from '../../src/config.js';
import { isValidSchedule } from '../../src/jobs/scheduler.js';
import { derivePhoneKeys } from '../../src/vkyc/phone-key.js';

const KEY = 'unit-test-phone-key-0123456789abcdef';
const BASE = { SLACK_BOT_TOKEN: 'xoxb-1-abc', SLACK_SIGNING_SECRET: 'secret', CASHFREE_CLIENT_ID: 'id', CASHFREE_CLIENT_SECRET: 'cs' };

describe('KYC_PHONE_KEY', () => {
  it('is optional, at least 32 characters, and redacted from logs', () => {
    expect(parseConfig(BASE, isValidSchedule).phoneKey).toBeUndefined();
    const config = parseConfig({ ...BASE, KYC_PHONE_KEY: KEY }, isValidSchedule);
    expect(config.phoneKey).toBe(KEY);
    expect(secretsOf(config)).toContain(KEY);
    expect(() => parseConfig({ ...BASE, KYC_PHONE_KEY: 'too-short' }, isValidSchedule)).toThrow(/^KYC_PHONE_KEY must be at least 32 characters/);
  });
});

describe('derivePhoneKeys', () => {
  const keys = derivePhoneKeys(KEY);
  const iv = Buffer.alloc(12, 7);

  it('hashes a phone the same way every time, differently under another key, and never as the bare SHA-256', () => {
    expect(keys.hash('9876543210')).toBe(derivePhoneKeys(KEY).hash('9876543210'));
    expect(keys.hash('9876543210')).toMatch(/^[a-f0-9]{64}$/);
    expect(keys.hash('9876543210')).not.toBe(keys.hash('9876543211'));
    expect(derivePhoneKeys(`${KEY}x`).hash('9876543210')).not.toBe(keys.hash('9876543210'));
  });

  it('seals a row so that only the same key and context open it, and a tampered box opens to nothing', () => {
    const sealed = keys.seal('{"phone":"9876543210"}', 'batch 1 row 2', iv);
    expect(sealed).not.toContain('9876543210');
    expect(keys.open(sealed, 'batch 1 row 2')).toBe('{"phone":"9876543210"}');
    expect(keys.open(sealed, 'batch 1 row 3')).toBeUndefined();
    expect(derivePhoneKeys(`${KEY}x`).open(sealed, 'batch 1 row 2')).toBeUndefined();
    const [head = '', tag = '', body = ''] = sealed.split('.');
    const flipped = Buffer.from(body, 'base64url');
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    expect(keys.open([head, tag, flipped.toString('base64url')].join('.'), 'batch 1 row 2')).toBeUndefined();
    expect(keys.open('not a box', 'batch 1 row 2')).toBeUndefined();
  });
});
