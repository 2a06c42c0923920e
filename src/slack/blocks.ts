import type { KnownBlock } from '@slack/types';
import type { ChangeRow, StaticLink, TrackingRow, VkycState } from '../vkyc/types.js';
import { describeStatus, statusEmoji } from '../vkyc/descriptions.js';
import { clip, codeSpan, escapeMrkdwn, slackLink } from '../text/mrkdwn.js';
import { SLACK_LIMITS } from './limits.js';
import { slackDate, utcAndIst } from './time.js';

/** Message builders: pure functions from domain data to Slack text and blocks, within Slack's limits. */

export interface SlackMessage {
  text: string;
  blocks?: KnownBlock[];
}

const TEXT_LIMIT = SLACK_LIMITS.text;
const RECORDING_NOTE = ':film_frames: A call recording is available in the Cashfree dashboard.';

/** `STATUS` / `SUB_STATUS` with the status's emoji; both codes shown as Cashfree sent them. */
export function statusLine(status: string, subStatus: string): string {
  return `${statusEmoji(status)} ${codeSpan(status, 80)} / ${codeSpan(subStatus || '—', 80)}`;
}

/** The initial comment shown with the uploaded QR code. */
export function linkComment(link: StaticLink, requestedBy: string): string {
  return clip(
    [
      `:link: *Static KYC link*: template ${codeSpan(link.templateName, 100)}, status ${codeSpan(link.status, 40)}, requested by <@${requestedBy}>`,
      slackLink(link.link),
      'Customers can scan the QR code below or open the link.',
    ].join('\n'),
    TEXT_LIMIT,
  );
}

function detailFields(state: VkycState): string[] {
  const fields = [
    `*Verification*\n${codeSpan(state.verificationId, 80)}`,
    `*User*\n${state.userId === undefined ? '—' : codeSpan(state.userId, 80)}`,
    `*Status*\n${statusLine(state.status, state.subStatus)}`,
    `*Link expiry*\n${state.linkExpiry === undefined ? '—' : utcAndIst(escapeMrkdwn(state.linkExpiry, 40))}`,
  ];
  if (state.meetingSchedule !== undefined) fields.push(`*Video call*\n${utcAndIst(escapeMrkdwn(state.meetingSchedule, 40))}`);
  if (state.referenceId !== undefined) fields.push(`*Reference*\n${codeSpan(String(state.referenceId))}`);
  return fields;
}

/** The card's buttons: block and action ids the interaction listeners match on. */
export const CARD_ACTIONS = { block: 'kyc_card_actions', refresh: 'kyc_refresh', stop: 'kyc_stop' } as const;

function cardActions(verificationId: string): KnownBlock {
  return {
    type: 'actions',
    block_id: CARD_ACTIONS.block,
    elements: [
      { type: 'button', action_id: CARD_ACTIONS.refresh, text: { type: 'plain_text', text: 'Refresh' }, value: verificationId },
      {
        type: 'button',
        action_id: CARD_ACTIONS.stop,
        text: { type: 'plain_text', text: 'Stop tracking' },
        style: 'danger',
        value: verificationId,
        confirm: {
          title: { type: 'plain_text', text: 'Stop tracking?' },
          text: { type: 'plain_text', text: clip(`The bot will stop following ${verificationId} in this channel.`, 300) },
          confirm: { type: 'plain_text', text: 'Stop tracking' },
          deny: { type: 'plain_text', text: 'Keep it' },
          style: 'danger',
        },
      },
    ],
  };
}

/** Start again on an ended card whose link expired or whose pre-call checks failed (src/vkyc/restart.ts). */
export const RESTART_ACTIONS = { block: 'kyc_card_restart', startAgain: 'kyc_start_again' } as const;

/** What an ended card says about starting again: a button to do it, or where the new verification went. */
export interface CardRestart {
  /** Offer the Start again button. */
  offer: boolean;
  /** Started again as this verification, by this agent, with its card here. */
  startedAs?: { verificationId: string; by: string; permalink: string | null } | undefined;
}

function restartBlocks(verificationId: string, restart: CardRestart | undefined): KnownBlock[] {
  if (restart?.startedAs !== undefined) {
    const { startedAs } = restart;
    const where = startedAs.permalink === null ? 'in this thread' : slackLink(startedAs.permalink, 'its card in this thread');
    const line = `:repeat: Started again as ${codeSpan(startedAs.verificationId, 80)} by <@${startedAs.by}>: ${where}.`;
    return [{ type: 'context', elements: [{ type: 'mrkdwn', text: clip(line, TEXT_LIMIT) }] }];
  }
  if (restart?.offer !== true || verificationId.length > SLACK_LIMITS.buttonValue) return [];
  return [
    {
      type: 'actions',
      block_id: RESTART_ACTIONS.block,
      elements: [
        { type: 'button', action_id: RESTART_ACTIONS.startAgain, text: { type: 'plain_text', text: 'Start again' }, style: 'primary', value: verificationId },
      ],
    },
  ];
}

/** The parent message of a tracked verification: always shows the latest status, and buttons while tracking lasts. */
export function parentCard(state: VkycState, trackedBy: string, updatedAtMs: number, ended?: string, restart?: CardRestart): SlackMessage {
  const description = describeStatus(state.status, state.subStatus);
  const text = clip(
    `${statusEmoji(state.status)} Video KYC ${escapeMrkdwn(state.verificationId, 80)}: ${escapeMrkdwn(state.status, 80)} / ${escapeMrkdwn(state.subStatus, 80)}. ${description}`,
    TEXT_LIMIT,
  );
  const context = [`Tracked by <@${trackedBy}>`, `updated ${slackDate(updatedAtMs)}`];
  if (ended !== undefined) context.push(ended);
  return {
    text,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: clip(`Video KYC ${state.verificationId}`, SLACK_LIMITS.header) } },
      { type: 'section', text: { type: 'mrkdwn', text: clip(description, TEXT_LIMIT) } },
      { type: 'section', fields: detailFields(state).map((field) => ({ type: 'mrkdwn' as const, text: clip(field, SLACK_LIMITS.field) })) },
      ...(state.hasRecording
        ? [{ type: 'section' as const, text: { type: 'mrkdwn' as const, text: RECORDING_NOTE } }]
        : []),
      { type: 'context', elements: [{ type: 'mrkdwn', text: clip(context.join(' · '), TEXT_LIMIT) }] },
      // A button's value names the verification; an id too long for one (Cashfree documents at most 50) gets no buttons.
      ...(ended === undefined && state.verificationId.length <= SLACK_LIMITS.buttonValue ? [cardActions(state.verificationId)] : []),
      ...(ended === undefined ? [] : restartBlocks(state.verificationId, restart)),
    ],
  };
}

const FINAL_WORDS: Record<NonNullable<ChangeRow['final_reason']>, string> = {
  terminal: ':checkered_flag: This is a final status; tracking has ended.',
  link_expired: ':alarm_clock: The link expired before the customer got past the pre-call checks; tracking has ended.',
};

/** One threaded reply per change of status or sub-status. Never carries the recording link itself. */
export function changeReply(change: ChangeRow): SlackMessage {
  const lines = [`${statusLine(change.status, change.sub_status)}: ${describeStatus(change.status, change.sub_status)}`];
  if (change.previous_status !== null && (change.previous_status !== change.status || change.previous_sub_status !== change.sub_status)) {
    lines.push(`_Was ${escapeMrkdwn(change.previous_status, 80)} / ${escapeMrkdwn(change.previous_sub_status ?? '—', 80)}._`);
  }
  const callAhead = change.status === 'RECEIVED' || change.status === 'PRE_VIDEO_CALL';
  if (change.meeting_schedule !== null && callAhead) lines.push(`:calendar: Video call at ${utcAndIst(escapeMrkdwn(change.meeting_schedule, 40))}`);
  if (change.has_recording === 1) lines.push(RECORDING_NOTE);
  if (change.final_reason !== null) lines.push(FINAL_WORDS[change.final_reason]);
  return { text: clip(lines.join('\n'), TEXT_LIMIT) };
}

/** `/kyc status`: the current state, for the agent only. */
export function statusMessage(state: VkycState, trackedHere: TrackingRow | undefined): SlackMessage {
  const details = detailFields(state).filter((field) => !field.startsWith('*Status*') && !field.startsWith('*Verification*'));
  const lines = [
    `*Video KYC ${codeSpan(state.verificationId, 80)}*: ${statusLine(state.status, state.subStatus)}`,
    describeStatus(state.status, state.subStatus),
    ...details.map((field) => field.replace('\n', ': ')),
  ];
  if (state.hasRecording) lines.push(RECORDING_NOTE);
  if (trackedHere?.permalink) lines.push(`Tracked in this channel: ${slackLink(trackedHere.permalink, 'open the thread')}`);
  return { text: clip(lines.join('\n'), TEXT_LIMIT) };
}
