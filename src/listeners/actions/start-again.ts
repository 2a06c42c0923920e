import { startAgainModal } from '../../slack/start-again-modal.js';
import { checkRestart } from '../../tracking/restart.js';
import type { CommandDeps, Invocation, Outcome } from '../context.js';

/**
 * *Start again* on an ended card: checks there is something to start again (a card here, an expired link
 * or failed pre-call checks, no restart running or done) and opens the confirmation; its submission does
 * the work (src/listeners/views/start-again.ts). A second click gets the same check's answer.
 */
export async function startAgainFromCard(deps: CommandDeps, inv: Invocation, verificationId: string): Promise<Outcome> {
  const check = checkRestart(deps, verificationId, inv.channelId);
  if (!check.ok) {
    await inv.reply(check.words);
    return { result: 'ok', code: check.code };
  }
  if (inv.triggerId === undefined || inv.triggerId === '') throw new Error('the click carried no trigger_id');
  await inv.slack.views.open({
    trigger_id: inv.triggerId,
    view: startAgainModal({ verification: verificationId, channel: inv.channelId, userId: check.state.userId }, deps.config.vkyc),
  });
  return { result: 'ok' };
}
