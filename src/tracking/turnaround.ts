import type { HomePeriod, HomeTurnaround } from '../slack/turnaround.js';
import type { Store } from '../store/store.js';
import { figuresBy, journeyOf, stageFigures } from '../vkyc/turnaround.js';

const DAY_MS = 24 * 60 * 60_000;

/** App Home's figures: the viewer's own (the verifications they own) and the team's, over the last `days` days. */
export function homeTurnaround(store: Pick<Store, 'journeyRecords'>, who: { userId: string; days: HomePeriod; nowMs: number }): HomeTurnaround {
  const period = { startMs: who.nowMs - who.days * DAY_MS, endMs: who.nowMs + 1 };
  const journeys = store.journeyRecords(period).map(journeyOf);
  return {
    days: who.days,
    mine: stageFigures(
      journeys.filter((journey) => journey.owner === who.userId),
      period,
    ),
    team: stageFigures(journeys, period),
    byTemplate: figuresBy(journeys, period, 'template'),
  };
}
