import { stopTracking } from '../../tracking/card.js';
import { say } from '../../text/words.js';
import type { CommandDeps, Invocation, Outcome } from '../context.js';

/** *Stop tracking* on a card (after its confirm dialog): what `/kyc untrack` does, for this channel's tracking. */
export async function stopFromCard(deps: CommandDeps, inv: Invocation, verificationId: string): Promise<Outcome> {
  const result = await stopTracking(deps, inv.slack, { verificationId, channelId: inv.channelId, teamId: inv.teamId, by: inv.userId });
  if (!result.stopped) {
    await inv.reply(say.notTracked(verificationId));
    return { result: 'ok', code: 'not_tracked' };
  }
  await inv.reply(say.untracked(verificationId));
  return { result: 'ok' };
}
