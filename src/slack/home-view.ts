import type { KnownBlock } from '@slack/types';
import type { TrackedState } from '../vkyc/types.js';
import { homeHowTo, say } from '../text/words.js';
import { describeStatus, statusEmoji } from '../vkyc/descriptions.js';
import { PHASES, phaseOf, type Phase } from '../vkyc/phases.js';
import { codeSpan, slackLink } from '../text/mrkdwn.js';
import { contextOf, sectionsOf } from './paging.js';

export interface TeamCounts {
  tracked: number;
  customer: number;
  call: number;
  review: number;
  endedToday: number;
}

export interface HomeView {
  type: 'home';
  blocks: KnownBlock[];
}

/**
 * Verifications listed per phase; the rest are counted. Even at one line per section that is 4 phases of at
 * most 17 blocks, with 6 around them: 74 of Slack's 100.
 */
const PER_PHASE_LIMIT = 15;

export const PHASE_TITLES: Record<Phase, string> = {
  customer: ':bust_in_silhouette: Waiting on the customer',
  call: ':movie_camera: Queued for or in the call',
  review: ':mag: Under review',
  ended: ':checkered_flag: Decided, tracking ends soon',
};

/** Team counts from every active tracking (a verification tracked in two channels counts once). */
export function teamCounts(rows: readonly TrackedState[], endedToday: number): TeamCounts {
  const counts: TeamCounts = { tracked: 0, customer: 0, call: 0, review: 0, endedToday };
  const seen = new Set<string>();
  for (const row of rows) {
    if (seen.has(row.verification_id)) continue;
    seen.add(row.verification_id);
    counts.tracked += 1;
    const phase = phaseOf(row.status, row.sub_status);
    if (phase !== 'ended') counts[phase] += 1;
  }
  return counts;
}

export function verificationLine(row: TrackedState): string {
  const name = codeSpan(row.verification_id, 60);
  const thread = row.permalink === null ? '' : ` · ${slackLink(row.permalink, 'thread')}`;
  return `• ${statusEmoji(row.status)} ${name}: ${describeStatus(row.status, row.sub_status)}${thread}`;
}

/** The viewer's App Home: their verifications by phase, the team's counts, further sections (`more`), and how to use the bot. */
export function homeView(mine: readonly TrackedState[], team: TeamCounts, more: readonly KnownBlock[] = []): HomeView {
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: 'Video KYC' } },
    {
      type: 'section',
      fields: [
        `*Tracked*\n${team.tracked}`,
        `*Waiting on the customer*\n${team.customer}`,
        `*Queued or in the call*\n${team.call}`,
        `*Under review*\n${team.review}`,
        `*Ended today*\n${team.endedToday}`,
      ].map((text) => ({ type: 'mrkdwn' as const, text })),
    },
    { type: 'divider' },
    { type: 'header', text: { type: 'plain_text', text: `Tracked by you (${mine.length})` } },
  ];
  if (mine.length === 0) {
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: say.homeNothingTracked } });
  }
  for (const phase of PHASES) {
    const rows = mine.filter((row) => phaseOf(row.status, row.sub_status) === phase);
    if (rows.length === 0) continue;
    const shown = rows.slice(0, PER_PHASE_LIMIT);
    blocks.push(...sectionsOf([`*${PHASE_TITLES[phase]}* (${rows.length})`, ...shown.map(verificationLine)]));
    if (shown.length < rows.length) blocks.push(contextOf(say.homeShown(shown.length, rows.length)));
  }
  blocks.push(...more, { type: 'divider' }, { type: 'section', text: { type: 'mrkdwn', text: homeHowTo } });
  return { type: 'home', blocks };
}

/** The Home tab of someone outside the access list. */
export function refusedHomeView(): HomeView {
  return {
    type: 'home',
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: 'Video KYC' } },
      { type: 'section', text: { type: 'mrkdwn', text: say.homeRefused } },
      { type: 'section', text: { type: 'mrkdwn', text: homeHowTo } },
    ],
  };
}
