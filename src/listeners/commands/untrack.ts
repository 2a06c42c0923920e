import { refreshParent } from '../../tracking/deliver.js';
import { slackFailure } from '../../slack/failures.js';
import { say } from '../../text/words.js';
import type { CommandDeps, Invocation, Outcome } from '../context.js';
import { localVerificationId } from '../../tracking/fetch.js';
import type { Target } from './parse.js';
import { describeTarget } from './parse.js';

/** `/kyc untrack`: ends tracking in this channel and says so, with who, in the thread. */
export async function untrackVerification(deps: CommandDeps, inv: Invocation, target: Target): Promise<Outcome> {
  const verificationId = localVerificationId(deps, target);
  const tracking = verificationId === undefined ? undefined : deps.store.activeTracking(verificationId, inv.channelId);
  if (verificationId === undefined || tracking === undefined) {
    await inv.reply(say.notTracked(describeTarget(target)));
    return { result: 'ok', code: 'not_tracked' };
  }
  deps.store.endTracking(tracking.id, verificationId, deps.now(), inv.userId, 'untracked');
  deps.store.audit(
    { actor: inv.userId, teamId: inv.teamId, channelId: inv.channelId, action: 'tracking_stopped', subject: verificationId },
    deps.now(),
  );
  if (tracking.parent_ts !== null) {
    try {
      await inv.slack.chat.postMessage({
        channel: inv.channelId,
        thread_ts: tracking.parent_ts,
        text: say.untrackedInThread(inv.userId),
      });
    } catch (error) {
      deps.logger.warn('could not announce untrack in the thread', {
        verification_id: verificationId,
        channel: inv.channelId,
        slack_error: slackFailure(error).code,
      });
    }
    await refreshParent({ ...deps, slack: inv.slack }, tracking, 'tracking stopped');
  }
  await inv.reply(say.untracked(verificationId));
  return { result: 'ok' };
}
