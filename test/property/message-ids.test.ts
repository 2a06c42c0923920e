import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeMessageId, findMessageIds, readMessageId } from '../../src/vkyc/message-ids.js';
import { hostileText, PROPERTY_SETTINGS } from '../helpers/hostile.js';

const phone = fc.tuple(fc.constantFrom('+91 ', '91', '0', ''), fc.constantFrom('6', '7', '8', '9'), fc.stringMatching(/^\d{9}$/)).map(([p, first, rest]) => `${p}${first}${rest}`);
const email = fc.tuple(fc.stringMatching(/^[a-z][a-z0-9.]{0,10}[0-9]$/), fc.stringMatching(/^[a-z0-9]{1,8}$/)).map(([user, host]) => `${user}@${host}.in`);

describe('findMessageIds on hostile text', () => {
  it('never throws, and every id it returns follows the rules and reads back as itself', () => {
    fc.assert(
      fc.property(hostileText(), (text) => {
        for (const id of findMessageIds(text)) {
          const name = describeMessageId(id);
          expect(readMessageId(name)).toEqual(id);
          if ('verificationId' in id) {
            expect(id.verificationId).toMatch(/^[A-Za-z0-9._-]{3,50}$/);
            expect(id.verificationId).toMatch(/[A-Za-z]/);
            expect(id.verificationId).toMatch(/\d/);
          } else {
            expect(id.referenceId).toMatch(/^\d{1,15}$/);
          }
        }
      }),
      PROPERTY_SETTINGS,
    );
  });

  it('never takes a phone number or an email next to the ids for one', () => {
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^vk_[a-z]{1,5}[0-9]{1,4}$/), { minLength: 1, maxLength: 5 }), phone, email, (ids, number, address) => {
        const text = `customer ${number} (${address}) says: ${ids.join(', ')}.`;
        const found = findMessageIds(text).map(describeMessageId);
        expect(found).toEqual([...new Set(ids)]);
        const digits = number.replace(/\D/g, '').slice(-10);
        for (const id of found) {
          expect(id).not.toContain(digits);
          expect(address).not.toContain(id);
        }
      }),
      PROPERTY_SETTINGS,
    );
  });
});
