import type { KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import { clip } from '../text/mrkdwn.js';
import { say } from '../text/words.js';
import type { NotificationType } from '../vkyc/types.js';

/** Start again's confirmation: what will happen, how Cashfree notifies the customer; then the outcome. */

export const START_AGAIN_CALLBACK = 'kyc_start_again_confirm';
export const NOTIFY_BLOCK = 'notify';
export const NOTIFY_ACTION = 'value';

/** What the modal remembers: which card was clicked, never anything about the customer. */
export interface StartAgainMetadata {
  verification: string;
  channel: string;
}

const plain = (text: string) => ({ type: 'plain_text' as const, text: clip(text, 150) });
const section = (text: string): KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text: clip(text, 3_000) } });
const TYPES: readonly NotificationType[] = ['sms', 'whatsapp', 'email'];
const option = (type: NotificationType): PlainTextOption => ({ text: plain(say.vkycModal.notifyOptions[type]), value: type });

export function startAgainModal(
  card: StartAgainMetadata & { userId: string },
  defaults: { userTemplate: string; agentTemplate: string; notify: readonly NotificationType[] },
): ModalView {
  const w = say.startAgain;
  return {
    type: 'modal',
    callback_id: START_AGAIN_CALLBACK,
    title: plain(w.title),
    submit: plain(w.submit),
    close: plain(w.close),
    private_metadata: JSON.stringify({ verification: card.verification, channel: card.channel } satisfies StartAgainMetadata),
    blocks: [
      section(w.explain(card.verification, card.userId)),
      { type: 'context', elements: [{ type: 'mrkdwn', text: clip(w.templates(defaults.userTemplate, defaults.agentTemplate), 3_000) }] },
      {
        type: 'input',
        block_id: NOTIFY_BLOCK,
        label: plain(w.notify),
        element: {
          type: 'checkboxes',
          action_id: NOTIFY_ACTION,
          options: TYPES.map(option),
          ...(defaults.notify.length === 0 ? {} : { initial_options: defaults.notify.map(option) }),
        },
      },
    ],
  };
}

/** The modal while Cashfree works, and its last state: plain words, nothing to submit. */
export function startAgainMessage(text: string, card: StartAgainMetadata): ModalView {
  return {
    type: 'modal',
    callback_id: START_AGAIN_CALLBACK,
    title: plain(say.startAgain.submit),
    close: plain(say.vkycModal.close),
    private_metadata: JSON.stringify(card),
    blocks: [section(text)],
  };
}
