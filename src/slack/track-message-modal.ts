import type { KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import { clip } from '../text/mrkdwn.js';
import { say } from '../text/words.js';

/** The "Track Video KYCs here" message shortcut's modal: the ids found, to confirm; then the outcome. */

export const TRACK_MESSAGE_CALLBACK = 'kyc_track_message_confirm';
export const ID_GROUP_ACTION = 'ids';
/** Slack allows 10 options in one checkbox group; two groups keep the form short. */
const GROUP_SIZE = 10;
export const MAX_MESSAGE_IDS = 2 * GROUP_SIZE;

/** What the modal remembers: the channel and the thread to open cards in, never the message's text. */
export interface TrackMessageMetadata {
  channel: string;
  thread: string;
}

const plain = (text: string) => ({ type: 'plain_text' as const, text: clip(text, 150) });
const section = (text: string): KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text: clip(text, 3_000) } });

/** The block id of the n-th checkbox group. */
export const idGroupBlock = (n: number) => `ids_${n}`;

/** Confirms the ids found, all ticked; with none, says so and offers nothing to submit. */
export function trackMessageModal(ids: readonly string[], where: TrackMessageMetadata): ModalView {
  const w = say.messageShortcut;
  const base = { type: 'modal' as const, callback_id: TRACK_MESSAGE_CALLBACK, title: plain(w.title), close: plain(w.close), private_metadata: JSON.stringify(where) };
  if (ids.length === 0) return { ...base, blocks: [section(w.noneFound)] };
  const shown = ids.slice(0, MAX_MESSAGE_IDS);
  const groups: string[][] = [];
  for (let i = 0; i < shown.length; i += GROUP_SIZE) groups.push(shown.slice(i, i + GROUP_SIZE));
  const option = (id: string): PlainTextOption => ({ text: { type: 'plain_text', text: id }, value: id });
  return {
    ...base,
    submit: plain(w.submit),
    blocks: [
      section(w.found(shown.length)),
      ...(ids.length > shown.length ? [section(w.leftOut(shown.length, ids.length - shown.length))] : []),
      ...groups.map(
        (group, n): KnownBlock => ({
          type: 'input',
          block_id: idGroupBlock(n),
          optional: true,
          label: plain(w.groupLabel(n + 1, groups.length)),
          element: { type: 'checkboxes', action_id: ID_GROUP_ACTION, options: group.map(option), initial_options: group.map(option) },
        }),
      ),
    ],
  };
}

/** The modal while Cashfree is asked: nothing left to submit twice. */
export function trackMessageWorking(count: number, where: TrackMessageMetadata): ModalView {
  return messageModal([say.messageShortcut.working(count)], where);
}

/** One line per id: tracked, already tracked, final, unknown to Cashfree, or why not. */
export function trackMessageOutcome(lines: readonly string[], where: TrackMessageMetadata): ModalView {
  return messageModal([say.messageShortcut.outcomeIntro, ...lines], where);
}

/** Ten lines to a section, so 20 answers with their links stay within a section's 3,000 characters. */
function messageModal(lines: readonly string[], where: TrackMessageMetadata): ModalView {
  const sections: KnownBlock[] = [];
  for (let i = 0; i < lines.length; i += GROUP_SIZE) sections.push(section(lines.slice(i, i + GROUP_SIZE).join('\n')));
  return {
    type: 'modal',
    callback_id: TRACK_MESSAGE_CALLBACK,
    title: plain(say.messageShortcut.title),
    close: plain(say.messageShortcut.close),
    private_metadata: JSON.stringify(where),
    blocks: sections,
  };
}
