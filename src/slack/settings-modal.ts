import type { KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import { clip } from '../text/mrkdwn.js';
import { saySettings } from '../text/words.js';
import { STUCK_MINUTES, type ChannelSettings, type SettingsField } from '../vkyc/channel-settings.js';

/** The `/kyc settings` modal: a pure function of the channel's settings. */

export const CHANNEL_SETTINGS_CALLBACK = 'kyc_channel_settings';
/** Every input's `action_id`; its `block_id` is the field's name (src/vkyc/channel-settings.ts). */
export const SETTINGS_ACTION = 'value';

const plain = (text: string, limit = 150) => ({ type: 'plain_text' as const, text: clip(text, limit) });
const option = (value: string, text: string): PlainTextOption => ({ text: plain(text, 75), value });

/** What the modal remembers between opening and submission: the channel it is about. */
export function settingsMetadata(channelId: string): string {
  return JSON.stringify({ channel: channelId });
}

function radio(field: SettingsField, label: string, options: PlainTextOption[], selected: string, hint?: string): KnownBlock {
  return {
    type: 'input',
    block_id: field,
    label: plain(label),
    element: { type: 'radio_buttons', action_id: SETTINGS_ACTION, options, initial_option: options.find((o) => o.value === selected) ?? options[0] },
    ...(hint === undefined ? {} : { hint: plain(hint, 2_000) }),
  };
}

/** The form, showing the channel's current settings as its initial values. */
export function settingsModal(channelId: string, current: ChannelSettings, defaultStuckMinutes: number): ModalView {
  const w = saySettings;
  const finalOptions = [option('broadcast', w.broadcast), option('thread_only', w.threadOnly)];
  const detailOptions = [option('every_change', w.everyChange), option('condensed', w.condensed)];
  const blocks: KnownBlock[] = [
    { type: 'context', elements: [{ type: 'mrkdwn', text: w.intro(channelId) }] },
    radio('final_posts', w.finalPosts, finalOptions, current.threadOnly ? 'thread_only' : 'broadcast'),
    radio('thread_detail', w.threadDetail, detailOptions, current.condensed ? 'condensed' : 'every_change', w.condensedHint),
    {
      type: 'input',
      block_id: 'stuck_minutes',
      optional: true,
      label: plain(w.stuckMinutes),
      hint: plain(w.stuckHint(defaultStuckMinutes), 2_000),
      element: {
        type: 'number_input',
        action_id: SETTINGS_ACTION,
        is_decimal_allowed: false,
        min_value: String(STUCK_MINUTES.min),
        max_value: String(STUCK_MINUTES.max),
        ...(current.stuckAfterMinutes === undefined ? {} : { initial_value: String(current.stuckAfterMinutes) }),
      },
    },
    {
      type: 'input',
      block_id: 'escalation',
      optional: true,
      label: plain(w.escalation),
      hint: plain(w.escalationHint, 2_000),
      element: {
        type: 'plain_text_input',
        action_id: SETTINGS_ACTION,
        max_length: 100,
        ...(current.escalationTarget === undefined ? {} : { initial_value: escalationText(current) }),
      },
    },
  ];
  return {
    type: 'modal',
    callback_id: CHANNEL_SETTINGS_CALLBACK,
    title: plain(w.title, 24),
    submit: plain(w.submit, 24),
    close: plain(w.close, 24),
    private_metadata: settingsMetadata(channelId),
    blocks,
  };
}

/** The target as the agent would type it again: `@here`, or the group's id. */
function escalationText(current: ChannelSettings): string {
  const target = current.escalationTarget;
  if (target === undefined) return '';
  return target.kind === 'here' ? '@here' : target.id;
}

/** The modal once the settings are saved (or refused): words, nothing to submit. */
export function settingsDoneModal(channelId: string, text: string): ModalView {
  return {
    type: 'modal',
    callback_id: CHANNEL_SETTINGS_CALLBACK,
    title: plain(saySettings.title, 24),
    close: plain(saySettings.done, 24),
    private_metadata: settingsMetadata(channelId),
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: clip(text, 3_000) } }],
  };
}
