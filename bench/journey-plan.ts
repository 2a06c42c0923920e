import { drawDwell, type Dwell } from './dwell.js';

/**
 * Video KYC journeys for the journey measure, drawn from a seeded PRNG. Each
 * sub-status lasts a clipped log-normal time around a median. Real journeys
 * take minutes (Aadhaar, device checks, a queue, a call of several minutes);
 * these medians are ten to fifty times shorter, so that a mix runs in under two
 * minutes. The request budget is not scaled, which makes the measure harder
 * for any poller than real life.
 */

export interface PlannedState {
  /** From the start of the run. */
  atMs: number;
  status: string;
  subStatus: string;
  /** From the start of the run: the call the customer booked. */
  meetingAtMs?: number;
}

export interface PlannedJourney {
  states: PlannedState[];
  scheduledCall: boolean;
}

/** What a mix's journeys are like: the generator draws from it, and the ideal scheduler knows it. */
export interface JourneyShape {
  /** Multiplies every sub-status's median (1: the medians below). */
  dwellScale: number;
  /** Log-normal spread of every dwell. */
  sigma: number;
  /** Share of customers who book a call for later instead of joining the queue. */
  scheduledShare: number;
  /** From booking to the booked time. */
  meetingAfter: Dwell;
  /** From the booked time to the customer joining. */
  join: Dwell;
  /** Share of packets the auditor rejects. */
  rejectedShare: number;
}

export const STANDARD_SHAPE: JourneyShape = {
  dwellScale: 1,
  sigma: 0.5,
  scheduledShare: 0.3,
  meetingAfter: { kind: 'uniform', fromMs: 20_000, toMs: 35_000 },
  join: { kind: 'uniform', fromMs: 0, toMs: 3_000 },
  rejectedShare: 0.1,
};

/** Median time in each sub-status at dwellScale 1. */
const MEDIAN_MS: ReadonlyMap<string, number> = new Map([
  ['AADHAAR_VERIFICATION_SUCCESS', 6_000],
  ['USER_IP_VERIFICATION_SUCCESSFUL', 3_000],
  ['USER_LOCATION_VERIFICATION_SUCCESS', 4_000],
  ['USER_DEVICE_CHECK_SUCCESS', 5_000],
  ['USER_QUEUED', 9_000],
  ['SCHEDULED_USER_QUEUED', 6_000],
  ['AGENT_ASSIGNED_TO_USER', 3_000],
  ['CALL_STARTED', 12_000],
  ['CALL_COMPLETED', 8_000],
]);
const PRE_CALL = ['AADHAAR_VERIFICATION_SUCCESS', 'USER_IP_VERIFICATION_SUCCESSFUL', 'USER_LOCATION_VERIFICATION_SUCCESS', 'USER_DEVICE_CHECK_SUCCESS'];

/** The booked call, whose next state comes with the meeting time rather than after a dwell. */
export const MEETING_SUB_STATUS = 'USER_MEETING_SCHEDULED';
/** The state a booked call reaches at its time: the one a scheduler can see coming. */
export const SCHEDULED_QUEUE_SUB_STATUS = 'SCHEDULED_USER_QUEUED';

/**
 * How long a journey stays in `subStatus`: at least a second, at most three
 * medians (one long tail does not stretch the run). Undefined for the booked
 * call (it waits for its time) and for the final states.
 */
export function dwellOf(shape: JourneyShape, subStatus: string): Dwell | undefined {
  const median = MEDIAN_MS.get(subStatus);
  if (median === undefined) return undefined;
  const medianMs = median * shape.dwellScale;
  return { kind: 'log-normal', medianMs, sigma: shape.sigma, minMs: 1_000, maxMs: 3 * medianMs };
}

/** The journey of a customer who opens the link `opensAtMs` into the run. */
export function planJourney(random: () => number, shape: JourneyShape, opensAtMs: number): PlannedJourney {
  const states: PlannedState[] = [];
  let at = opensAtMs;
  const next = (status: string, subStatus: string) => {
    states.push({ atMs: at, status, subStatus });
    const dwell = dwellOf(shape, subStatus);
    if (dwell !== undefined) at += drawDwell(random, dwell);
  };
  for (const subStatus of PRE_CALL) next('PRE_VIDEO_CALL', subStatus);
  const scheduledCall = random() < shape.scheduledShare;
  if (scheduledCall) {
    const meetingAtMs = at + drawDwell(random, shape.meetingAfter);
    states.push({ atMs: at, status: 'PRE_VIDEO_CALL', subStatus: MEETING_SUB_STATUS, meetingAtMs });
    at = meetingAtMs + drawDwell(random, shape.join);
    next('PRE_VIDEO_CALL', SCHEDULED_QUEUE_SUB_STATUS);
  } else {
    next('PRE_VIDEO_CALL', 'USER_QUEUED');
  }
  next('PRE_VIDEO_CALL', 'AGENT_ASSIGNED_TO_USER');
  next('VIDEO_CALL', 'CALL_STARTED');
  next('VIDEO_CALL', 'CALL_COMPLETED');
  if (random() < shape.rejectedShare) next('REJECTED', 'AUDITOR_REJECTED');
  else next('AUDITOR_REVIEWED', 'AUDITOR_APPROVED');
  return { states, scheduledCall };
}
