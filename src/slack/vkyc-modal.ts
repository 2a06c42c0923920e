import type { KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import type { NotificationType } from '../vkyc/types.js';
import { say } from '../text/words.js';
import type { FieldErrors, StartField, StartFormInput } from '../vkyc/start-form.js';
import { clip } from '../text/mrkdwn.js';

/** View builders for `/kyc vkyc`: the form, the wait, and the outcome. Pure functions of their inputs. */

export const START_VKYC_CALLBACK = 'kyc_vkyc_start';
/** Every input's `action_id`; its `block_id` is the field's name (src/vkyc/start-form.ts). */
export const VALUE_ACTION = 'value';

export interface StartModalOptions {
  /** The channel to follow it in; undefined (the global shortcut carries none): the form asks with a picker. */
  channelId: string | undefined;
  defaults: { userTemplate: string; agentTemplate: string; notify: readonly NotificationType[] };
  /** What the agent typed before, when the form comes back after Cashfree refused it. */
  values?: StartFormInput;
  /** Cashfree's refusal of one field, shown under it (Slack's inline errors exist only in a submission's ack). */
  errors?: FieldErrors;
}

const plain = (text: string) => ({ type: 'plain_text' as const, text: clip(text, 150) });

function notifyOption(type: NotificationType): PlainTextOption {
  return { text: plain(say.vkycModal.notifyOptions[type]), value: type };
}

/** The channel picker's block_id: its value is read with the form's other fields, its error lands on it. */
export const CHANNEL_BLOCK = 'channel';

/** What the modal remembers between opening and submission: only the channel, never the customer's details. */
export function startModalMetadata(channelId: string | undefined): string {
  return JSON.stringify(channelId === undefined ? {} : { channel: channelId });
}

/** A picker of the channel to follow it in; none is preselected, since a global shortcut comes from no channel. */
function channelPicker(): KnownBlock[] {
  const c = say.vkycChannel;
  return [
    {
      type: 'input',
      block_id: CHANNEL_BLOCK,
      label: plain(c.label),
      hint: plain(c.hint),
      element: {
        type: 'conversations_select',
        action_id: VALUE_ACTION,
        default_to_current_conversation: false,
        filter: { include: ['public', 'private'], exclude_bot_users: true, exclude_external_shared_channels: true },
      },
    },
  ];
}

export function startModal(options: StartModalOptions): ModalView {
  const { defaults, values, errors = {} } = options;
  const m = say.vkycModal;
  const text = (
    field: StartField,
    label: string,
    initial: string | undefined,
    extra: { optional?: boolean; hint?: string; maxLength?: number; email?: boolean } = {},
  ): KnownBlock[] => {
    const element = extra.email === true
      ? { type: 'email_text_input' as const, action_id: VALUE_ACTION, ...(initial === undefined ? {} : { initial_value: initial }) }
      : {
          type: 'plain_text_input' as const,
          action_id: VALUE_ACTION,
          ...(extra.maxLength === undefined ? {} : { max_length: extra.maxLength }),
          ...(initial === undefined ? {} : { initial_value: initial }),
        };
    const input: KnownBlock = {
      type: 'input',
      block_id: field,
      label: plain(label),
      optional: extra.optional ?? false,
      element,
      ...(extra.hint === undefined ? {} : { hint: plain(extra.hint) }),
    };
    return [input, ...errorNote(errors[field])];
  };
  const notify = values?.notify.filter((v): v is NotificationType => v === 'sms' || v === 'whatsapp' || v === 'email') ?? defaults.notify;
  const blocks: KnownBlock[] = [
    ...(Object.keys(errors).length > 0 ? [section(m.fixBelow)] : []),
    { type: 'context', elements: [{ type: 'mrkdwn', text: m.intro }] },
    ...(options.channelId === undefined ? channelPicker() : []),
    ...text('phone', m.phone, values?.phone, { hint: m.phoneHint, maxLength: 20 }),
    ...text('name', m.name, values?.name, { optional: true, maxLength: 100 }),
    ...text('email', m.email, values?.email, { optional: true, email: true }),
    ...text('user_template', m.userTemplate, values?.userTemplate ?? defaults.userTemplate, { maxLength: 100 }),
    ...text('agent_template', m.agentTemplate, values?.agentTemplate ?? defaults.agentTemplate, { maxLength: 100 }),
    {
      type: 'input',
      block_id: 'notify',
      label: plain(m.notify),
      element: {
        type: 'checkboxes',
        action_id: VALUE_ACTION,
        options: (['sms', 'whatsapp', 'email'] as const).map(notifyOption),
        ...(notify.length === 0 ? {} : { initial_options: notify.map(notifyOption) }),
      },
    },
    ...errorNote(errors.notify),
    ...text('verification_id', m.verificationId, values?.verificationId, { optional: true, hint: m.verificationIdHint, maxLength: 50 }),
  ];
  return {
    type: 'modal',
    callback_id: START_VKYC_CALLBACK,
    title: plain(m.title),
    submit: plain(m.submit),
    close: plain(m.close),
    private_metadata: startModalMetadata(options.channelId),
    blocks,
  };
}

/** The modal while Cashfree works: no inputs, so nothing can be submitted twice. */
export function workingModal(verificationId: string, channelId: string | undefined): ModalView {
  return messageModal(say.vkycModal.working(verificationId), channelId);
}

/** The modal's last state: what happened, in plain words. */
export function outcomeModal(text: string, channelId: string | undefined): ModalView {
  return messageModal(text, channelId);
}

function messageModal(text: string, channelId: string | undefined): ModalView {
  return {
    type: 'modal',
    callback_id: START_VKYC_CALLBACK,
    title: plain(say.vkycModal.doneTitle),
    close: plain(say.vkycModal.close),
    private_metadata: startModalMetadata(channelId),
    blocks: [section(text)],
  };
}

function section(text: string): KnownBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: clip(text, 3_000) } };
}

function errorNote(error: string | undefined): KnownBlock[] {
  return error === undefined ? [] : [{ type: 'context', elements: [{ type: 'mrkdwn', text: `:x: ${clip(error, 1_900)}` }] }];
}
