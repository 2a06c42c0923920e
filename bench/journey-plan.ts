import { logNormalMs, uniformMs } from './prng.js';

/**
 * Video KYC journeys for the journey measure, drawn from a seeded PRNG. Each
 * sub-status lasts a log-normal time around a median. Real journeys take
 * minutes (Aadhaar, device checks, a queue, a call of several minutes); these
 * medians are ten to fifty times shorter, so that 30 journeys run in under two minutes.
 * The request budget is not scaled, which makes the measure harder for any
 * poller than real life.
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

const PRE_CALL: readonly [string, number][] = [
  ['AADHAAR_VERIFICATION_SUCCESS', 6_000],
  ['USER_IP_VERIFICATION_SUCCESSFUL', 3_000],
  ['USER_LOCATION_VERIFICATION_SUCCESS', 4_000],
  ['USER_DEVICE_CHECK_SUCCESS', 5_000],
];

/** Share of customers who book a call for later instead of joining the queue. */
const SCHEDULED_SHARE = 0.3;
/** Share of packets the auditor rejects. */
const REJECTED_SHARE = 0.1;

/** A journey that ends within `endByMs` of the start: drawn again until one does, so the run stays short. */
export function planJourney(random: () => number, endByMs: number): PlannedJourney {
  for (;;) {
    const journey = drawJourney(random);
    if ((journey.states.at(-1)?.atMs ?? 0) <= endByMs) return journey;
  }
}

function drawJourney(random: () => number): PlannedJourney {
  const states: PlannedState[] = [];
  // The customer opens the link some time after it was sent.
  let at = uniformMs(random, 0, 25_000);
  const next = (status: string, subStatus: string, medianMs: number, extra: Partial<PlannedState> = {}) => {
    states.push({ atMs: at, status, subStatus, ...extra });
    // At least a second; at most three medians, so one long tail does not stretch the whole run.
    at += Math.min(3 * medianMs, Math.max(1_000, logNormalMs(random, medianMs)));
  };
  for (const [subStatus, medianMs] of PRE_CALL) next('PRE_VIDEO_CALL', subStatus, medianMs);
  const scheduledCall = random() < SCHEDULED_SHARE;
  if (scheduledCall) {
    const meetingAtMs = at + uniformMs(random, 20_000, 35_000);
    states.push({ atMs: at, status: 'PRE_VIDEO_CALL', subStatus: 'USER_MEETING_SCHEDULED', meetingAtMs });
    // The customer joins at the booked time, give or take a few seconds.
    at = meetingAtMs + uniformMs(random, 0, 3_000);
    next('PRE_VIDEO_CALL', 'SCHEDULED_USER_QUEUED', 6_000);
  } else {
    next('PRE_VIDEO_CALL', 'USER_QUEUED', 9_000);
  }
  next('PRE_VIDEO_CALL', 'AGENT_ASSIGNED_TO_USER', 3_000);
  next('VIDEO_CALL', 'CALL_STARTED', 12_000);
  next('VIDEO_CALL', 'CALL_COMPLETED', 8_000);
  if (random() < REJECTED_SHARE) next('REJECTED', 'AUDITOR_REJECTED', 1);
  else next('AUDITOR_REVIEWED', 'AUDITOR_APPROVED', 1);
  return { states, scheduledCall };
}
