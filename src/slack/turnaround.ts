import type { KnownBlock } from '@slack/types';
import { clip, codeSpan } from '../text/mrkdwn.js';
import { durationWords, TURNAROUND_CSV_HEAD, TURNAROUND_WORDS as W } from '../text/words.js';
import { STAGES, type GroupFigures, type Journey, type StageFigure } from '../vkyc/turnaround.js';
import { toCsv } from './csv.js';
import { SLACK_LIMITS } from './limits.js';
import { contextOf, sectionsOf } from './paging.js';

/** Turnaround figures as Slack shows them: App Home's section, the weekly report, its alt text and its CSV. */

/** Groups listed (templates, owners); the rest are counted. Home and report stay far below their block limits. */
const GROUP_LIMIT = 8;

type Measured = StageFigure & { p50: number; p90: number };

const isMeasured = (figure: StageFigure): figure is Measured => figure.p50 !== undefined && figure.p90 !== undefined;

function figureLine(figure: StageFigure): string {
  const stage = W.stages[figure.stage];
  return isMeasured(figure) ? W.figureLine(stage, durationWords(figure.p50), durationWords(figure.p90), figure.count) : W.noneLine(stage);
}

/** One bullet per stage. */
export function figureLines(figures: readonly StageFigure[]): string[] {
  return figures.map((figure) => `• ${figureLine(figure)}`);
}

/** A template or an owner on one line, with the stages it has figures for. */
function groupLine(group: GroupFigures, by: 'template' | 'owner'): string {
  const name = by === 'owner' ? `<@${group.key ?? ''}>` : group.key === undefined ? `_${W.unknownTemplate}_` : codeSpan(group.key, 100);
  const stages = group.figures
    .filter(isMeasured)
    .map((figure) => `${W.stages[figure.stage]} ${durationWords(figure.p50)} / ${durationWords(figure.p90)} (${figure.count})`);
  return `• ${name}: ${stages.join(' · ')}`;
}

function groupBlocks(title: string, groups: readonly GroupFigures[], by: 'template' | 'owner', cut: (shown: number, total: number) => string): KnownBlock[] {
  if (groups.length === 0) return [];
  const shown = groups.slice(0, GROUP_LIMIT);
  return [...sectionsOf([title, ...shown.map((group) => groupLine(group, by))]), ...(shown.length < groups.length ? [contextOf(cut(shown.length, groups.length))] : [])];
}

export const HOME_TURNAROUND_ACTIONS = { block: 'kyc_home_turnaround', period: 'kyc_home_turnaround_period' } as const;
/** The periods App Home offers, in days. */
export const HOME_PERIODS = [1, 7, 30] as const;
export type HomePeriod = (typeof HOME_PERIODS)[number];

export interface HomeTurnaround {
  days: HomePeriod;
  mine: readonly StageFigure[];
  team: readonly StageFigure[];
  byTemplate: readonly GroupFigures[];
}

/** App Home's turnaround section: the viewer's figures, the team's, the team's by template, and a period to choose. */
export function turnaroundHomeBlocks(input: HomeTurnaround): KnownBlock[] {
  const option = (days: HomePeriod) => ({ text: { type: 'plain_text' as const, text: W.homeHeader(days) }, value: String(days) });
  return [
    { type: 'divider' },
    { type: 'header', text: { type: 'plain_text', text: W.homeHeader(input.days) } },
    {
      type: 'actions',
      block_id: HOME_TURNAROUND_ACTIONS.block,
      elements: [
        {
          type: 'static_select',
          action_id: HOME_TURNAROUND_ACTIONS.period,
          placeholder: { type: 'plain_text', text: W.homePeriodLabel },
          options: HOME_PERIODS.map(option),
          initial_option: option(input.days),
        },
      ],
    },
    ...sectionsOf([W.homeYours, ...figureLines(input.mine)]),
    ...sectionsOf([W.homeTeam, ...figureLines(input.team)]),
    ...groupBlocks(W.homeByTemplate, input.byTemplate, 'template', W.homeGroupsCut),
    contextOf(W.basis),
  ];
}

export interface ReportInput {
  /** The week's first and last day, as the channel reads them. */
  from: string;
  to: string;
  figures: readonly StageFigure[];
  byTemplate: readonly GroupFigures[];
  byOwner: readonly GroupFigures[];
  /** Verifications with a stage or a decision in the week. */
  journeys: number;
}

/** The weekly report's blocks; the chart and the CSV go with them as files, in one message. */
export function reportBlocks(input: ReportInput): KnownBlock[] {
  return [
    { type: 'header', text: { type: 'plain_text', text: clip(W.reportHeader(input.from, input.to), SLACK_LIMITS.header) } },
    ...sectionsOf([W.reportCount(input.journeys), ...figureLines(input.figures)]),
    ...groupBlocks(W.reportByTemplate, input.byTemplate, 'template', W.reportGroupsCut),
    ...groupBlocks(W.reportByOwner, input.byOwner, 'owner', W.reportGroupsCut),
    contextOf(`${W.basis} ${W.reportFiles}`),
  ];
}

/** What the chart shows, in words: every bar's figure. */
export function chartAltText(figures: readonly StageFigure[], from: string, to: string): string {
  return clip(W.altText(from, to, figures.map(figureLine)), 1_000);
}

const seconds = (ms: number | undefined) => (ms === undefined ? '' : String(Math.round(ms / 1000)));

/**
 * One row per verification: its id, template, owner, outcome and the seconds of each stage it has (empty when the
 * bot did not observe it). Nothing about the customer: no phone, name, email, link or remark is known here.
 */
export function turnaroundCsv(journeys: readonly Journey[]): string {
  return toCsv(
    [...TURNAROUND_CSV_HEAD, ...STAGES.map((stage) => W.csvColumns[stage])],
    journeys.map((journey) => [
      journey.verificationId,
      journey.template ?? '',
      journey.owner,
      journey.outcome ?? 'in_progress',
      journey.endedAt === undefined ? '' : new Date(journey.endedAt).toISOString(),
      ...STAGES.map((stage) => seconds(journey.stages[stage]?.ms)),
    ]),
  );
}

/** "23 Nov 2026" in the team's time zone. */
export function dayLabel(ms: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, day: 'numeric', month: 'short', year: 'numeric' }).format(new Date(ms));
}

/** "2026-11-23" in the team's time zone, for file names. */
export function isoDay(ms: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(ms));
}
