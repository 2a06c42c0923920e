import type { App, ViewStateValue } from '@slack/bolt';
import { z } from 'zod';
import { isDatabaseError } from '../../store/open.js';
import { CHANNEL_SETTINGS_CALLBACK, SETTINGS_ACTION, settingsDoneModal } from '../../slack/settings-modal.js';
import { say, saySettings } from '../../text/words.js';
import { escalationMention, readSettingsForm, type SettingsFormInput } from '../../vkyc/channel-settings.js';
import type { CommandDeps } from '../context.js';
import { auditRefusal, isAllowed } from '../surface.js';

const metadataSchema = z.object({ channel: z.string().regex(/^[CGD][A-Z0-9]+$/) });

/**
 * The `/kyc settings` form's submission. Access is checked again (the lists may have changed since the form
 * opened, and the payload names the channel only through the bot's own metadata); a refusal is audited.
 * Mistakes go back on their fields (`response_action: errors`); saved settings turn the modal into a note.
 */
export function registerChannelSettings(app: App, deps: CommandDeps): void {
  app.view(CHANNEL_SETTINGS_CALLBACK, async ({ ack, body, view }) => {
    const started = deps.now();
    const metadata = metadataSchema.safeParse(parseJson(view.private_metadata));
    const who = metadata.success ? { userId: body.user.id, teamId: body.team?.id, channelId: metadata.data.channel } : undefined;
    if (who === undefined || !isAllowed(deps.config, who)) {
      await ack({ response_action: 'update', view: settingsDoneModal(who?.channelId ?? '', saySettings.refused) });
      if (who !== undefined) auditRefusal(deps, who, 'settings_submit');
      return finish(deps, started, body.user.id, who === undefined ? 'invalid' : 'refused');
    }
    const form = readSettingsForm(readInput(view.state.values), {
      choose: saySettings.choose,
      stuckMinutes: saySettings.badMinutes,
      escalation: saySettings.badEscalation,
    });
    if (!form.ok) {
      await ack({ response_action: 'errors', errors: form.errors });
      return finish(deps, started, who.userId, 'invalid', { fields: Object.keys(form.errors).join(',') });
    }
    try {
      deps.store.channels.saveSettings(who.channelId, who.teamId, form.settings, who.userId, deps.now());
    } catch (error) {
      if (!isDatabaseError(error)) throw error;
      deps.metrics.databaseError('command', error);
      await ack({ response_action: 'update', view: settingsDoneModal(who.channelId, say.databaseBusy) });
      return finish(deps, started, who.userId, 'database_error');
    }
    const s = form.settings;
    const detail = [
      s.threadOnly ? 'thread_only' : 'broadcast',
      s.condensed ? 'condensed' : 'every_change',
      `stuck=${s.stuckAfterMinutes ?? 'default'}`,
      `escalation=${s.escalationTarget === undefined ? 'none' : escalationMention(s.escalationTarget)}`,
    ].join(' ');
    deps.store.audit({ actor: who.userId, teamId: who.teamId, channelId: who.channelId, action: 'settings_changed', detail }, deps.now());
    await ack({ response_action: 'update', view: settingsDoneModal(who.channelId, saySettings.saved(who.channelId)) });
    finish(deps, started, who.userId, 'ok', { channel: who.channelId });
  });
}

function readInput(values: Record<string, Record<string, ViewStateValue>>): SettingsFormInput {
  const value = (block: string) => values[block]?.[SETTINGS_ACTION];
  return {
    finalPosts: value('final_posts')?.selected_option?.value,
    threadDetail: value('thread_detail')?.selected_option?.value,
    stuckMinutes: value('stuck_minutes')?.value ?? undefined,
    escalation: value('escalation')?.value ?? undefined,
  };
}

function finish(deps: CommandDeps, started: number, userId: string, result: string, fields: Record<string, string> = {}): void {
  deps.metrics.commands.inc({ subcommand: 'settings_submit', result });
  deps.logger.info('channel settings form', { user: userId, result, ...fields, ms: deps.now() - started });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
