import type { ObservedChange } from '../../src/vkyc/turnaround.js';

/** The turnaround and SLA unit tests' clock: minutes from T0. */
export const MIN = 60_000;
export const T0 = Date.UTC(2026, 10, 24, 5, 0, 0);

/** A change observed `observedMin` minutes after T0, the poll before it at `seenBeforeMin` (null: none). */
export const change = (status: string, subStatus: string, observedMin: number, seenBeforeMin: number | null, finalReason: string | null = null): ObservedChange => ({
  status,
  subStatus,
  observedAt: T0 + observedMin * MIN,
  seenBeforeAt: seenBeforeMin === null ? null : T0 + seenBeforeMin * MIN,
  finalReason,
});
