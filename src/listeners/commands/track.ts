import { say } from '../../text/words.js';
import { trackInChannel } from '../../tracking/track.js';
import type { CommandDeps, Invocation, Outcome } from '../context.js';
import type { Target } from './parse.js';

/**
 * `/kyc track`: fetches the current state, posts the parent message that its
 * thread will hang from, and starts tracking. The tracking row is claimed
 * before posting, so two agents racing on the same verification get one thread.
 */
export async function trackVerification(deps: CommandDeps, inv: Invocation, target: Target): Promise<Outcome> {
  const result = await trackInChannel(deps, inv.slack, { target, channelId: inv.channelId, teamId: inv.teamId, userId: inv.userId });
  if (result.kind === 'final') {
    await inv.reply(say.alreadyFinal(result.state.verificationId, result.state.status, result.state.subStatus));
    return { result: 'ok', code: 'already_final' };
  }
  if (result.kind === 'already_tracked') {
    await inv.reply(say.alreadyTracked(result.verificationId, result.permalink));
    return { result: 'ok', code: 'already_tracked' };
  }
  await inv.reply(say.nowTracking(result.verificationId, result.permalink));
  return { result: 'ok' };
}
