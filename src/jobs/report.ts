import type { WebClient } from '@slack/web-api';
import type { Logger } from '../log.js';
import { turnaroundChart } from '../slack/chart.js';
import { slackFailure } from '../slack/failures.js';
import { chartAltText, dayLabel, isoDay, reportBlocks, turnaroundCsv } from '../slack/turnaround.js';
import type { Store } from '../store/store.js';
import type { SlackPacer } from '../tracking/pacing.js';
import { shareFiles } from '../tracking/upload.js';
import { TURNAROUND_WORDS } from '../text/words.js';
import { figuresBy, journeyOf, journeysIn, lastFullWeek, stageFigures } from '../vkyc/turnaround.js';

export interface ReportDeps {
  store: Store;
  slack: WebClient;
  slackPacer: SlackPacer;
  logger: Logger;
  now: () => number;
  /** KYC_TIMEZONE: where a week starts and ends. */
  timeZone: string;
}

/** How long a report may wait for its channel's turn (Slack's per-channel rate). */
const REPORT_SLACK_WAIT_MS = 30_000;

/**
 * Posts last week's turnaround report in every channel whose trackings had a stage end or a decision in it:
 * the figures, a chart and a CSV in one message. Each report is marked in the store before it is posted, so a
 * channel gets one per week however often the schedule fires and whatever restarts; a post Slack refused
 * clears the mark (a later run that week tries again), one that may have reached Slack keeps it.
 */
export async function postWeeklyReports(deps: ReportDeps): Promise<number> {
  const now = deps.now();
  const week = lastFullWeek(now, deps.timeZone);
  const from = dayLabel(week.startMs, deps.timeZone);
  const to = dayLabel(week.endMs - 1, deps.timeZone);
  const key = isoDay(week.startMs, deps.timeZone);
  let posted = 0;
  for (const channel of deps.store.reportChannels(week)) {
    const journeys = journeysIn(deps.store.journeyRecords(week, channel).map(journeyOf), week);
    if (journeys.length === 0) continue;
    if (!deps.store.claimReport(channel, week.startMs, now)) continue;
    const figures = stageFigures(journeys, week);
    const blocks = reportBlocks({
      from,
      to,
      figures,
      byTemplate: figuresBy(journeys, week, 'template'),
      byOwner: figuresBy(journeys, week, 'owner'),
      journeys: journeys.length,
    });
    try {
      await shareFiles(
        deps,
        { channelId: channel, blocks },
        [
          { bytes: turnaroundChart(figures), filename: `kyc-turnaround-${key}.png`, title: TURNAROUND_WORDS.chartTitle(from, to), altText: chartAltText(figures, from, to) },
          { bytes: Buffer.from(turnaroundCsv(journeys), 'utf8'), filename: `kyc-turnaround-${key}.csv`, title: TURNAROUND_WORDS.reportHeader(from, to) },
        ],
        REPORT_SLACK_WAIT_MS,
      );
      posted += 1;
    } catch (error) {
      const failure = slackFailure(error);
      if (!failure.inDoubt) deps.store.releaseReport(channel, week.startMs);
      deps.logger.warn('turnaround report not posted', { channel, slack_error: failure.code, in_doubt: failure.inDoubt });
    }
  }
  return posted;
}
