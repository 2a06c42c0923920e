import { settingsModal } from '../../slack/settings-modal.js';
import { DEFAULT_CHANNEL_SETTINGS } from '../../vkyc/channel-settings.js';
import type { CommandDeps, Invocation, Outcome } from '../context.js';

/** `/kyc settings`: opens this channel's settings form, showing what is set now; src/listeners/views/channel-settings.ts saves it. */
export async function openSettingsModal(deps: CommandDeps, inv: Invocation): Promise<Outcome> {
  if (inv.triggerId === undefined || inv.triggerId === '') throw new Error('the slash command carried no trigger_id');
  const current = deps.store.channels.settings(inv.channelId) ?? DEFAULT_CHANNEL_SETTINGS;
  await inv.slack.views.open({
    trigger_id: inv.triggerId,
    view: settingsModal(inv.channelId, current, Math.round(deps.config.alerts.stuckAfterMs / 60_000)),
  });
  return { result: 'ok' };
}
