import type { HomePeriod, HomeTurnaround } from '../slack/turnaround.js';
import type { Store } from '../store/store.js';
import { figuresBy, journeyOf, stageFigures, type Journey, type Period } from '../vkyc/turnaround.js';

const DAY_MS = 24 * 60 * 60_000;

/** How long App Home's figures are reused: reading a month of a busy team's history takes a noticeable moment. */
export const HOME_FIGURES_TTL_MS = 60_000;

/**
 * App Home's figures: the viewer's own (the verifications they own) and the team's, over the last `days` days.
 * The team's journeys for a period are read once and reused for HOME_FIGURES_TTL_MS by every viewer: the
 * store is synchronous, and a month of changes for thousands of verifications holds the process for a while.
 */
export function createHomeTurnaround(store: Pick<Store, 'journeyRecords'>, now: () => number) {
  const cached = new Map<HomePeriod, { at: number; period: Period; journeys: Journey[] }>();
  const journeysFor = (days: HomePeriod) => {
    const at = now();
    const hit = cached.get(days);
    if (hit !== undefined && at - hit.at < HOME_FIGURES_TTL_MS) return hit;
    const period = { startMs: at - days * DAY_MS, endMs: at + 1 };
    const fresh = { at, period, journeys: store.journeyRecords(period).map(journeyOf) };
    cached.set(days, fresh);
    return fresh;
  };
  return (userId: string, days: HomePeriod): HomeTurnaround => {
    const { period, journeys } = journeysFor(days);
    return {
      days,
      mine: stageFigures(
        journeys.filter((journey) => journey.owner === userId),
        period,
      ),
      team: stageFigures(journeys, period),
      byTemplate: figuresBy(journeys, period, 'template'),
    };
  };
}
