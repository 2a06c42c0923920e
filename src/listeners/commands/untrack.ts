import { stopTracking } from '../../tracking/card.js';
import { localVerificationId } from '../../tracking/fetch.js';
import { say } from '../../text/words.js';
import type { CommandDeps, Invocation, Outcome } from '../context.js';
import type { Target } from './parse.js';
import { describeTarget } from './parse.js';

/** `/kyc untrack`: ends tracking in this channel and says so, with who, in the thread. */
export async function untrackVerification(deps: CommandDeps, inv: Invocation, target: Target): Promise<Outcome> {
  const result = await stopTracking(deps, inv.slack, { verificationId: localVerificationId(deps, target), channelId: inv.channelId, teamId: inv.teamId, by: inv.userId });
  if (!result.stopped) {
    await inv.reply(say.notTracked(describeTarget(target)));
    return { result: 'ok', code: 'not_tracked' };
  }
  await inv.reply(say.untracked(result.verificationId));
  return { result: 'ok' };
}
