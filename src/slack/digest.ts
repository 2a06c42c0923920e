import type { OutcomeRow, TrackedState } from '../vkyc/types.js';
import { isStuck } from '../vkyc/alerts.js';
import { outcomeOf, PHASES, phaseOf } from '../vkyc/phases.js';
import type { SlackMessage } from './blocks.js';
import { clip, codeSpan, slackLink } from '../text/mrkdwn.js';
import { PHASE_TITLES, verificationLine } from './home-view.js';

export interface DigestInput {
  /** This channel's active trackings. */
  tracked: readonly TrackedState[];
  /** Final statuses reached in this channel since the last digest. */
  outcomes: readonly OutcomeRow[];
  nowMs: number;
  stuckAfterMs: number;
}

const LIST_LIMIT = 20;
const TEXT_LIMIT = 3_000;

function listed(title: string, lines: string[]): string[] {
  const shown = lines.slice(0, LIST_LIMIT);
  if (lines.length > shown.length) shown.push(`_…and ${lines.length - shown.length} more._`);
  return [title, ...shown];
}

function outcomeLine(row: OutcomeRow): string {
  const thread = row.permalink === null ? '' : ` · ${slackLink(row.permalink, 'thread')}`;
  return `• ${codeSpan(row.verification_id, 60)}: ${codeSpan(row.status)} / ${codeSpan(row.sub_status || '—')}${thread}`;
}

/** A channel's daily digest; undefined when there is nothing to say (nothing tracked, nothing decided). */
export function digestMessage(input: DigestInput): SlackMessage | undefined {
  const { tracked, outcomes } = input;
  if (tracked.length === 0 && outcomes.length === 0) return undefined;
  const sections: string[][] = [];
  const counts = PHASES.map((phase) => [phase, tracked.filter((row) => phaseOf(row.status, row.sub_status) === phase).length] as const)
    .filter(([, n]) => n > 0)
    .map(([phase, n]) => `• ${PHASE_TITLES[phase]}: ${n}`);
  sections.push([`*Video KYC digest: ${tracked.length} tracked in this channel*`, ...counts]);
  const stuck = tracked.filter((row) => isStuck({ status: row.status, subStatus: row.sub_status, sinceMs: row.since }, input.nowMs, input.stuckAfterMs));
  if (stuck.length > 0) sections.push(listed(`*:rotating_light: Waiting too long (${stuck.length})*`, stuck.map(verificationLine)));
  const approved = outcomes.filter((row) => outcomeOf(row.status, row.sub_status, row.final_reason) === 'approved');
  const rejected = outcomes.filter((row) => outcomeOf(row.status, row.sub_status, row.final_reason) === 'rejected');
  if (approved.length > 0) sections.push(listed(`*:white_check_mark: Approved since the last digest (${approved.length})*`, approved.map(outcomeLine)));
  if (rejected.length > 0) sections.push(listed(`*:x: Rejected since the last digest (${rejected.length})*`, rejected.map(outcomeLine)));
  const others = outcomes.length - approved.length - rejected.length;
  if (others > 0) sections.push([`_${others} more ended otherwise (expired links, failures) since the last digest._`]);
  const blocks = sections.map((lines) => ({ type: 'section' as const, text: { type: 'mrkdwn' as const, text: clip(lines.join('\n'), TEXT_LIMIT) } }));
  const text = clip(`Video KYC digest: ${tracked.length} tracked, ${stuck.length} waiting too long, ${approved.length} approved, ${rejected.length} rejected`, TEXT_LIMIT);
  return { text, blocks };
}
