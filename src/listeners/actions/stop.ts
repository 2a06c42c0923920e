import type { CommandDeps, Invocation, Outcome } from '../context.js';
import { untrackVerification } from '../commands/untrack.js';

/** *Stop tracking* on a card (after its confirm dialog): exactly `/kyc untrack` for this channel's tracking. */
export function stopFromCard(deps: CommandDeps, inv: Invocation, verificationId: string): Promise<Outcome> {
  return untrackVerification(deps, inv, { verificationId });
}
