import type { Block, KnownBlock, PlainTextOption, StaticSelect } from '@slack/types';
import { clip, escapeMrkdwn } from '../text/mrkdwn.js';
import { ownerWords, slaWords, TURNAROUND_WORDS } from '../text/words.js';
import { describeStatus } from '../vkyc/descriptions.js';
import { OWNER_DM_KINDS, type OwnerDmKind, type OwnerSettings } from '../vkyc/owner-notices.js';
import type { Stage } from '../vkyc/turnaround.js';
import type { VkycRemarks } from '../vkyc/types.js';
import { SLACK_LIMITS } from './limits.js';
import type { SlackMessage } from './blocks.js';
import { utcAndIst } from './time.js';

/** What an owner's DM says. Ids and codes only: never the customer's phone, name, email or link. */
export interface OwnerDm {
  kind: OwnerDmKind;
  verificationId: string;
  status: string;
  subStatus: string;
  /** The call's slot (call_soon), the link's expiry (expiring), or when the stage over its service level began (sla). */
  at: string | undefined;
  /** sla: the stage over its service level. */
  stage?: Stage | undefined;
  nowMs: number;
  thread: { permalink: string | null; channelId: string } | undefined;
  /** Rejections: the remarks as Cashfree gave them, or 'unavailable' when they could not be fetched. */
  remarks?: VkycRemarks | 'unavailable' | undefined;
}

/** Remarks are free text from people: escaped (no mentions, no links) and bounded. */
const REMARK_LIMIT = 1_000;

export function remarksLines(remarks: VkycRemarks | undefined): string[] {
  if (remarks === undefined) return [];
  const lines: string[] = [];
  if (remarks.agent !== undefined) lines.push(ownerWords.agentRemarks(escapeMrkdwn(remarks.agent, REMARK_LIMIT)));
  if (remarks.auditor !== undefined) lines.push(ownerWords.auditorRemarks(escapeMrkdwn(remarks.auditor, REMARK_LIMIT)));
  return lines;
}

function minutesUntil(iso: string | undefined, nowMs: number): number {
  const at = iso === undefined ? Number.NaN : Date.parse(iso);
  return Number.isNaN(at) ? 0 : Math.max(1, Math.round((at - nowMs) / 60_000));
}

function headline(dm: OwnerDm): string {
  const words = describeStatus(dm.status, dm.subStatus);
  switch (dm.kind) {
    case 'call_soon':
      return ownerWords.callSoon(dm.verificationId, minutesUntil(dm.at, dm.nowMs), utcAndIst(escapeMrkdwn(dm.at ?? '', 40)));
    case 'dropoff':
      return ownerWords.dropoff(dm.verificationId, words);
    case 'precheck_failed':
      return ownerWords.precheckFailed(dm.verificationId, words);
    case 'rejected':
      return ownerWords.rejected(dm.verificationId, dm.status, dm.subStatus);
    case 'expiring':
      return ownerWords.expiring(dm.verificationId, minutesUntil(dm.at, dm.nowMs));
    case 'sla':
      return slaWords.dm(dm.verificationId, dm.stage === undefined ? '—' : TURNAROUND_WORDS.stages[dm.stage], utcAndIst(escapeMrkdwn(dm.at ?? '', 40)));
  }
}

/** The DM itself: the event, a rejection's remarks, where its thread is, and why the owner gets it. */
export function ownerDmMessage(dm: OwnerDm): SlackMessage {
  const lines = [headline(dm)];
  if (dm.kind === 'rejected') {
    if (dm.remarks === 'unavailable') lines.push(ownerWords.remarksUnavailable(dm.verificationId));
    else if (dm.remarks === undefined) lines.push(ownerWords.noRemarks);
    else lines.push(...remarksLines(dm.remarks), ownerWords.remarksPrivate);
  }
  if (dm.kind === 'sla') lines.push(slaWords.dmLater);
  if (dm.thread !== undefined) lines.push(dm.thread.permalink === null ? ownerWords.threadIn(dm.thread.channelId) : ownerWords.thread(dm.thread.permalink));
  lines.push(`_${ownerWords.why}_`);
  return { text: clip(lines.join('\n'), SLACK_LIMITS.text) };
}

/** A reply in the thread with its owner mentioned (the final state, or someone else stopping it). */
export function withOwnerMention(message: SlackMessage, mention: string): SlackMessage {
  return { ...message, text: clip(`${message.text}\n${mention}`, SLACK_LIMITS.text) };
}

/** Block and action ids of the owner's settings on App Home. */
export const OWNER_SETTINGS_ACTIONS = {
  block: 'owner_settings',
  kinds: 'owner_dm_kinds',
  quietFrom: 'owner_quiet_from',
  quietUntil: 'owner_quiet_until',
  /** The settings' blocks all start with this id, so a saved change can replace them in the published tab. */
  blockPrefix: 'owner_settings',
} as const;

const OFF = 'off';

/** "22:00" for 1320. */
export function minuteLabel(minute: number): string {
  return `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
}

/** Quiet-hour choices: every hour, and off. */
function hourOptions(): PlainTextOption[] {
  const options: PlainTextOption[] = [{ text: { type: 'plain_text', text: ownerWords.quietOff }, value: OFF }];
  for (let hour = 0; hour < 24; hour += 1) options.push({ text: { type: 'plain_text', text: minuteLabel(hour * 60) }, value: String(hour * 60) });
  return options;
}

/** A select's value read back: a minute after midnight on the hour, null for off; undefined when it is neither. */
export function readQuietChoice(value: string | undefined): number | null | undefined {
  if (value === OFF) return null;
  const minute = Number(value);
  return Number.isInteger(minute) && minute >= 0 && minute < 24 * 60 && minute % 60 === 0 ? minute : undefined;
}

function select(actionId: string, placeholder: string, minute: number | null): StaticSelect {
  const options = hourOptions();
  const initial = options.find((option) => option.value === (minute === null ? OFF : String(minute)));
  return {
    type: 'static_select',
    action_id: actionId,
    placeholder: { type: 'plain_text', text: placeholder },
    options,
    ...(initial === undefined ? {} : { initial_option: initial }),
  };
}

/** The owner's settings on App Home: which DMs, and quiet hours in the team's time zone. */
export function ownerSettingsBlocks(settings: OwnerSettings, timeZone: string): KnownBlock[] {
  const kindOptions: PlainTextOption[] = OWNER_DM_KINDS.map((kind) => ({ text: { type: 'plain_text', text: ownerWords.kinds[kind] }, value: kind }));
  const wanted = kindOptions.filter((option) => !settings.mutedKinds.some((kind) => kind === option.value));
  const { quietFrom, quietUntil } = settings;
  const state =
    quietFrom !== null && quietUntil !== null && quietFrom !== quietUntil
      ? ownerWords.quietState(minuteLabel(quietFrom), minuteLabel(quietUntil), timeZone)
      : quietFrom === null && quietUntil === null
        ? ownerWords.quietNone(timeZone)
        : `${ownerWords.quietHalf} ${ownerWords.quietNone(timeZone)}`;
  return [
    { type: 'divider', block_id: `${OWNER_SETTINGS_ACTIONS.blockPrefix}_divider` },
    { type: 'header', block_id: `${OWNER_SETTINGS_ACTIONS.blockPrefix}_title`, text: { type: 'plain_text', text: ownerWords.settingsTitle } },
    { type: 'section', block_id: `${OWNER_SETTINGS_ACTIONS.blockPrefix}_intro`, text: { type: 'mrkdwn', text: ownerWords.settingsIntro } },
    {
      type: 'section',
      block_id: `${OWNER_SETTINGS_ACTIONS.blockPrefix}_kinds`,
      text: { type: 'mrkdwn', text: `*${ownerWords.settingsKindsLabel}*` },
      accessory: { type: 'checkboxes', action_id: OWNER_SETTINGS_ACTIONS.kinds, options: kindOptions, ...(wanted.length === 0 ? {} : { initial_options: wanted }) },
    },
    {
      type: 'actions',
      block_id: OWNER_SETTINGS_ACTIONS.block,
      elements: [select(OWNER_SETTINGS_ACTIONS.quietFrom, ownerWords.quietFromLabel, quietFrom), select(OWNER_SETTINGS_ACTIONS.quietUntil, ownerWords.quietUntilLabel, quietUntil)],
    },
    { type: 'context', block_id: `${OWNER_SETTINGS_ACTIONS.blockPrefix}_state`, elements: [{ type: 'mrkdwn', text: clip(state, SLACK_LIMITS.text) }] },
  ];
}

/**
 * A Home tab with the owner's settings in it, in place of any it held: the blocks whose ids start with the
 * settings' prefix. Works on a view the bot builds, and on the one Slack sends back with a click on it.
 */
export function withOwnerSettings(
  view: { type: 'home'; blocks: readonly (KnownBlock | Block)[] },
  settings: OwnerSettings,
  timeZone: string,
): { type: 'home'; blocks: (KnownBlock | Block)[] } {
  const kept = view.blocks.filter((block) => block.block_id?.startsWith(OWNER_SETTINGS_ACTIONS.blockPrefix) !== true);
  return { type: 'home', blocks: [...kept, ...ownerSettingsBlocks(settings, timeZone)] };
}
