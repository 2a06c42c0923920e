import { startModal } from '../../slack/vkyc-modal.js';
import type { CommandDeps, Invocation, Outcome } from '../context.js';

/**
 * `/kyc vkyc`: opens the form that starts a Video KYC. The modal remembers only the channel;
 * src/interactions/start-vkyc.ts handles its submission.
 */
export async function openStartVkycModal(deps: CommandDeps, inv: Invocation): Promise<Outcome> {
  if (inv.triggerId === undefined || inv.triggerId === '') throw new Error('the slash command carried no trigger_id');
  await inv.slack.views.open({
    trigger_id: inv.triggerId,
    view: startModal({ channelId: inv.channelId, defaults: deps.config.vkyc }),
  });
  return { result: 'ok' };
}
