import type { GlobalShortcut } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { outcomeModal, startModal } from '../../slack/vkyc-modal.js';
import { say } from '../../text/words.js';
import type { CommandDeps, Invocation, Outcome } from '../context.js';
import { auditRefusal, guarded, isUserAllowed, recordOutcome } from '../surface.js';

/** The global shortcut's callback_id, as manifest.yml declares it. */
export const START_VKYC_SHORTCUT = 'kyc_start_vkyc';

/**
 * "Start a Video KYC" from anywhere in Slack: the `/kyc vkyc` form, with a channel picker since a global
 * shortcut comes from no channel. Its submission is the form's (src/listeners/views/start-vkyc.ts), which
 * checks the picked channel against the allowed list and the bot's membership. With no channel to answer
 * in, a refusal is a modal too.
 */
export async function startVkycShortcut(deps: CommandDeps, shortcut: GlobalShortcut, slack: WebClient): Promise<void> {
  const started = deps.now();
  const userId = shortcut.user.id;
  const teamId = shortcut.team?.id ?? shortcut.user.team_id;
  const open = (view: ReturnType<typeof startModal>) => slack.views.open({ trigger_id: shortcut.trigger_id, view });
  // Failures are logged and counted; with no channel and the trigger spent, there is nowhere else to say them.
  const inv: Invocation = { userId, channelId: '', teamId, slack, triggerId: shortcut.trigger_id, reply: async () => undefined, show: async () => undefined };
  let outcome: Outcome;
  if (!isUserAllowed(deps.config, userId)) {
    outcome = auditRefusal(deps, { userId, teamId }, 'shortcut:start_vkyc');
    await guarded(deps, inv, async () => {
      await open(outcomeModal(say.vkycChannel.refused, undefined));
      return outcome;
    });
  } else {
    outcome = await guarded(deps, inv, async () => {
      await open(startModal({ channelId: undefined, defaults: deps.config.vkyc }));
      return { result: 'ok' };
    });
  }
  recordOutcome(
    deps,
    { log: 'shortcut', count: (result) => deps.metrics.commands.inc({ subcommand: 'shortcut_start_vkyc', result }) },
    started,
    { shortcut: 'start_vkyc', user: userId },
    outcome,
  );
}
