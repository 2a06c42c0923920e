import type { Store } from '../store/store.js';
import type { PhoneStart } from '../store/phones.js';
import { derivePhoneKeys, type PhoneKeys } from '../vkyc/phone-key.js';
import { normaliseIndianMobile } from '../vkyc/start-form.js';

/**
 * Phones without storing phones: every surface that starts a Video KYC (the `/kyc vkyc` form, bulk starts, and
 * any later one) records the start with `recordStartedPhone`, and `/kyc find` looks it up. Only a keyed hash of
 * the normalised number is stored; the key (KYC_PHONE_KEY) stays in the environment.
 */
export interface PhoneDeps {
  config: { phoneKey: string | undefined };
  store: Pick<Store, 'phones'>;
  now: () => number;
}

let derived: { secret: string; keys: PhoneKeys } | undefined;

/** The keys derived from KYC_PHONE_KEY, once per process; undefined when it is not set. */
export function phoneKeysOf(config: { phoneKey: string | undefined }): PhoneKeys | undefined {
  if (config.phoneKey === undefined) return undefined;
  if (derived?.secret !== config.phoneKey) derived = { secret: config.phoneKey, keys: derivePhoneKeys(config.phoneKey) };
  return derived.keys;
}

/**
 * Records that the bot started `verificationId` for `phone` (as typed or already normalised). Does nothing
 * without KYC_PHONE_KEY, or for text that is not an Indian mobile number; says whether it recorded.
 */
export function recordStartedPhone(
  deps: PhoneDeps,
  start: { phone: string; verificationId: string; by: string; channelId?: string | undefined },
): boolean {
  const keys = phoneKeysOf(deps.config);
  const phone = normaliseIndianMobile(start.phone);
  if (keys === undefined || phone === undefined) return false;
  deps.store.phones.record({ phoneHash: keys.hash(phone), verificationId: start.verificationId, atMs: deps.now(), by: start.by, channelId: start.channelId });
  return true;
}

export type PhoneLookup = { kind: 'disabled' } | { kind: 'invalid' } | { kind: 'found'; shown: PhoneStart[]; total: number };

/** The verifications started for the number `text` names (spaces, dashes, +91, 91 or 0 prefixes are fine). */
export function findStartsByPhone(deps: PhoneDeps, text: string): PhoneLookup {
  const keys = phoneKeysOf(deps.config);
  if (keys === undefined) return { kind: 'disabled' };
  const phone = normaliseIndianMobile(text);
  if (phone === undefined) return { kind: 'invalid' };
  return { kind: 'found', ...deps.store.phones.find(keys.hash(phone)) };
}
