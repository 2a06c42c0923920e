import type { KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import { clip } from '../text/mrkdwn.js';
import { say } from '../text/words.js';
import type { NotificationType } from '../vkyc/types.js';
import type { SlackMessage } from './blocks.js';

/** Builders of a bulk start: the agent's DM summary with its button, the confirm modal, the batch card. */

export const BULK_ACTIONS = { block: 'kyc_bulk_actions', review: 'kyc_bulk_review' } as const;
export const BULK_START_CALLBACK = 'kyc_bulk_start';
export const BULK_FIELDS = { channel: 'channel', userTemplate: 'user_template', agentTemplate: 'agent_template', notify: 'notify', value: 'value' } as const;

const plain = (text: string) => ({ type: 'plain_text' as const, text: clip(text, 150) });
const section = (text: string): KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text: clip(text, 3_000) } });

/** Row problems listed at most this many to a message; the rest are counted. */
const PROBLEMS_LISTED = 40;

/** What the agent reads after sharing a CSV: what is ready, each bad row by number and reason, and the button. */
export function uploadSummary(s: {
  batchId: number | undefined;
  ready: number;
  invalid: ReadonlyArray<{ row: number; reason: string }>;
  deletionNote: string;
}): SlackMessage {
  const listed = s.invalid.slice(0, PROBLEMS_LISTED).map((p) => say.bulkRowProblem(p.row, p.reason));
  const more = s.invalid.length > listed.length ? [say.bulkMoreProblems(s.invalid.length - listed.length)] : [];
  const blocks: KnownBlock[] = [section(say.bulkUploadRead(s.ready, s.invalid.length))];
  if (listed.length > 0) blocks.push(section([...listed, ...more].join('\n')));
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: clip(s.deletionNote, 2_000) }] });
  if (s.batchId !== undefined) {
    blocks.push({
      type: 'actions',
      block_id: BULK_ACTIONS.block,
      elements: [{ type: 'button', action_id: BULK_ACTIONS.review, style: 'primary', text: plain(say.bulkReviewButton(s.ready)), value: String(s.batchId) }],
    });
  }
  return { text: say.bulkUploadRead(s.ready, s.invalid.length), blocks };
}

function notifyOption(type: NotificationType): PlainTextOption {
  return { text: plain(say.vkycModal.notifyOptions[type]), value: type };
}

/** The confirmation: the channel for the batch card, the templates and the notification choice, as `/kyc vkyc` asks them. */
export function bulkStartModal(o: {
  batchId: number;
  ready: number;
  defaults: { userTemplate: string; agentTemplate: string; notify: readonly NotificationType[] };
}): ModalView {
  const m = say.vkycModal;
  const text = (block: string, label: string, initial: string): KnownBlock => ({
    type: 'input',
    block_id: block,
    label: plain(label),
    element: { type: 'plain_text_input', action_id: BULK_FIELDS.value, max_length: 100, initial_value: initial },
  });
  return {
    type: 'modal',
    callback_id: BULK_START_CALLBACK,
    title: plain(say.bulkModal.title),
    submit: plain(say.bulkModal.submit),
    close: plain(m.close),
    private_metadata: JSON.stringify({ batch: o.batchId }),
    blocks: [
      section(say.bulkModal.intro(o.ready)),
      {
        type: 'input',
        block_id: BULK_FIELDS.channel,
        label: plain(say.bulkModal.channel),
        element: { type: 'conversations_select', action_id: BULK_FIELDS.value, filter: { include: ['public', 'private'], exclude_bot_users: true } },
      },
      text(BULK_FIELDS.userTemplate, m.userTemplate, o.defaults.userTemplate),
      text(BULK_FIELDS.agentTemplate, m.agentTemplate, o.defaults.agentTemplate),
      {
        type: 'input',
        block_id: BULK_FIELDS.notify,
        label: plain(m.notify),
        element: {
          type: 'checkboxes',
          action_id: BULK_FIELDS.value,
          options: (['sms', 'whatsapp', 'email'] as const).map(notifyOption),
          ...(o.defaults.notify.length === 0 ? {} : { initial_options: o.defaults.notify.map(notifyOption) }),
        },
      },
    ],
  };
}

/** The modal's last state, in plain words. */
export function bulkOutcomeModal(text: string): ModalView {
  return { type: 'modal', callback_id: BULK_START_CALLBACK, title: plain(say.bulkModal.title), close: plain(say.vkycModal.close), blocks: [section(text)] };
}

/** The one message a batch has in its channel: who started it and how far it is. Nothing about any customer. */
export function bulkCard(c: { createdBy: string; total: number; started: number; failed: number; remaining: number; done: boolean }): SlackMessage {
  const text = say.bulkCard(c);
  return { text, blocks: [section(text), { type: 'context', elements: [{ type: 'mrkdwn', text: say.bulkCardNote(c.done) }] }] };
}
