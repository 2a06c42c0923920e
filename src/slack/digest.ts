import type { KnownBlock } from '@slack/types';
import type { OutcomeRow, TrackedState } from '../vkyc/types.js';
import { say } from '../text/words.js';
import { isStuck } from '../vkyc/alerts.js';
import { outcomeOf, PHASES, phaseOf } from '../vkyc/phases.js';
import type { SlackMessage } from './blocks.js';
import { clip, codeSpan, slackLink } from '../text/mrkdwn.js';
import { PHASE_TITLES, verificationLine } from './home-view.js';
import { SLACK_LIMITS } from './limits.js';
import { contextOf, sectionsOf } from './paging.js';

export interface DigestInput {
  /** This channel's active trackings. */
  tracked: readonly TrackedState[];
  /** Final statuses reached in this channel since the last digest. */
  outcomes: readonly OutcomeRow[];
  /** Where the outcomes start (the last digest); with nowMs, what the CSV button covers. */
  sinceMs: number;
  nowMs: number;
  stuckAfterMs: number;
}

/**
 * Verifications listed per list (waiting too long, approved, rejected); the rest are counted, and a button
 * sends the whole digest as a CSV. Even at one line per section: 3 lists of at most 12 blocks, 3 around them.
 */
const LIST_LIMIT = 10;

/** Block and action ids the interaction listener matches on. */
export const DIGEST_ACTIONS = { block: 'kyc_digest_actions', csv: 'kyc_digest_csv' } as const;

/** What the CSV button carries: the window the digest's outcomes cover. The channel comes from Slack's payload. */
export interface DigestWindow {
  since: number;
  until: number;
}

function listed(title: string, lines: readonly string[]): { blocks: KnownBlock[]; cut: boolean } {
  const shown = lines.slice(0, LIST_LIMIT);
  const cut = shown.length < lines.length;
  return { blocks: [...sectionsOf([title, ...shown]), ...(cut ? [contextOf(say.digestShown(shown.length, lines.length))] : [])], cut };
}

function outcomeLine(row: OutcomeRow): string {
  const thread = row.permalink === null ? '' : ` · ${slackLink(row.permalink, 'thread')}`;
  return `• ${codeSpan(row.verification_id, 60)}: ${codeSpan(row.status)} / ${codeSpan(row.sub_status || '—')}${thread}`;
}

/** Whether a tracked verification has waited too long in one state, as the stuck alerts judge it. */
export function waitsTooLong(row: TrackedState, nowMs: number, stuckAfterMs: number): boolean {
  return isStuck({ status: row.status, subStatus: row.sub_status, sinceMs: row.since }, nowMs, stuckAfterMs);
}

/** A channel's daily digest; undefined when there is nothing to say (nothing tracked, nothing decided). */
export function digestMessage(input: DigestInput): SlackMessage | undefined {
  const { tracked, outcomes } = input;
  if (tracked.length === 0 && outcomes.length === 0) return undefined;
  const counts = PHASES.map((phase) => [phase, tracked.filter((row) => phaseOf(row.status, row.sub_status) === phase).length] as const)
    .filter(([, n]) => n > 0)
    .map(([phase, n]) => `• ${PHASE_TITLES[phase]}: ${n}`);
  const blocks: KnownBlock[] = sectionsOf([`*Video KYC digest: ${tracked.length} tracked in this channel*`, ...counts]);
  const stuck = tracked.filter((row) => waitsTooLong(row, input.nowMs, input.stuckAfterMs));
  const approved = outcomes.filter((row) => outcomeOf(row.status, row.sub_status, row.final_reason) === 'approved');
  const rejected = outcomes.filter((row) => outcomeOf(row.status, row.sub_status, row.final_reason) === 'rejected');
  const lists = [
    stuck.length > 0 ? listed(`*:rotating_light: Waiting too long (${stuck.length})*`, stuck.map(verificationLine)) : undefined,
    approved.length > 0 ? listed(`*:white_check_mark: Approved since the last digest (${approved.length})*`, approved.map(outcomeLine)) : undefined,
    rejected.length > 0 ? listed(`*:x: Rejected since the last digest (${rejected.length})*`, rejected.map(outcomeLine)) : undefined,
  ].filter((list) => list !== undefined);
  for (const list of lists) blocks.push(...list.blocks);
  const others = outcomes.length - approved.length - rejected.length;
  if (others > 0) blocks.push(...sectionsOf([`_${others} more ended otherwise (expired links, failures) since the last digest._`]));
  if (lists.some((list) => list.cut)) blocks.push(csvButton({ since: input.sinceMs, until: input.nowMs }));
  const text = clip(
    `Video KYC digest: ${tracked.length} tracked, ${stuck.length} waiting too long, ${approved.length} approved, ${rejected.length} rejected`,
    SLACK_LIMITS.text,
  );
  return { text, blocks };
}

function csvButton(window: DigestWindow): KnownBlock {
  return {
    type: 'actions',
    block_id: DIGEST_ACTIONS.block,
    elements: [{ type: 'button', action_id: DIGEST_ACTIONS.csv, text: { type: 'plain_text', text: say.digestCsvButton }, value: JSON.stringify(window) }],
  };
}
