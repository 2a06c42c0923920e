import { findStartsByPhone } from '../../tracking/phones.js';
import { say } from '../../text/words.js';
import type { CommandDeps, Invocation, Outcome } from '../context.js';

/**
 * `/kyc find <phone>`: the verifications the bot started for a number, privately. The number is hashed with
 * KYC_PHONE_KEY and forgotten; the audit records who looked and when, never the number, nor its hash.
 */
export async function findByPhone(deps: CommandDeps, inv: Invocation, phoneText: string): Promise<Outcome> {
  const lookup = findStartsByPhone(deps, phoneText);
  const detail = lookup.kind === 'found' ? `matches=${lookup.total}` : lookup.kind;
  deps.store.audit({ actor: inv.userId, teamId: inv.teamId, channelId: inv.channelId, action: 'phone_lookup', detail }, deps.now());
  if (lookup.kind === 'disabled') {
    await inv.reply(say.findDisabled);
    return { result: 'ok', code: 'disabled' };
  }
  if (lookup.kind === 'invalid') {
    await inv.reply(say.findInvalidPhone);
    return { result: 'invalid' };
  }
  await inv.reply(say.findResult(lookup.shown, lookup.total));
  return { result: 'ok' };
}
