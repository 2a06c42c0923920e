/**
 * How long verifications stay in each (status, sub_status), learned from the
 * bot's own history, and what that says about the chance that one has moved
 * since it was last polled. No I/O, no clock of its own.
 *
 * The model is piecewise exponential: for every state, one constant rate of
 * leaving per age band (time since the verification entered the state). A
 * link opened in its first minute or never is a rate that falls with age; a
 * customer in the pre-call checks moves every few seconds, or has left. Each
 * band's rate is a Gamma posterior: prior pseudo-exits over prior exposure,
 * plus the exits and the time in state the bot observed (time in a state it
 * has not left yet counts as exposure without an exit).
 */

/** Age bands, by where each starts: [0, 1 min), [1 min, 10 min), [10 min, 1 h), [1 h, ∞). */
export const AGE_BANDS_MS: readonly number[] = [0, 60_000, 10 * 60_000, 60 * 60_000];

/** What the bot observed of one state in one age band. */
export interface DwellEvidence {
  status: string;
  subStatus: string;
  band: number;
  /** Times a verification left the state at an age in this band. */
  exits: number;
  /** Time verifications spent in the state at ages in this band, in ms. */
  exposureMs: number;
}

/** A state's mean time to leave, per age band, before any evidence. */
type PriorMeans = readonly [number, number, number, number];

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/**
 * Priors: the journey as Cashfree describes it (a customer opens the link soon
 * or much later; the pre-call steps take seconds; the queue and the call take
 * minutes; the auditor takes hours). One pseudo-exit each, so a handful of
 * observed exits outweighs them.
 */
const PRIORS = {
  waitingForCustomer: [10 * MINUTE, 30 * MINUTE, 2 * HOUR, 12 * HOUR],
  preCall: [30 * SECOND, 2 * MINUTE, 20 * MINUTE, 12 * HOUR],
  queue: [MINUTE, 3 * MINUTE, 30 * MINUTE, 12 * HOUR],
  call: [2 * MINUTE, 5 * MINUTE, 30 * MINUTE, 12 * HOUR],
  scheduled: [HOUR, HOUR, HOUR, 12 * HOUR],
  review: [30 * MINUTE, HOUR, 2 * HOUR, 12 * HOUR],
} satisfies Record<string, PriorMeans>;

const PRIOR_EXITS = 1;

const QUEUE_SUB_STATUSES = new Set(['USER_QUEUED', 'SCHEDULED_USER_QUEUED', 'AGENT_ASSIGNED_TO_USER', 'NO_AGENT_FOUND']);

/** The prior for a state; statuses the bot does not know yet are treated as moving, like the pre-call steps. */
export function priorMeansFor(status: string, subStatus: string): PriorMeans {
  const s = status.toUpperCase();
  const sub = subStatus.toUpperCase();
  if (s === 'RECEIVED') return PRIORS.waitingForCustomer;
  if (s === 'AGENT_REVIEWED' || sub === 'CALL_COMPLETED') return PRIORS.review;
  if (sub === 'USER_MEETING_SCHEDULED') return PRIORS.scheduled;
  if (QUEUE_SUB_STATUSES.has(sub)) return PRIORS.queue;
  if (s === 'VIDEO_CALL') return PRIORS.call;
  return PRIORS.preCall;
}

/**
 * What an agent loses by missing the state: each step is one reply in the
 * thread; a decision that an agent waits on counts twice (its reply is the one
 * people look for).
 */
export function weightOf(status: string, subStatus: string): number {
  return priorMeansFor(status, subStatus) === PRIORS.review ? 2 : 1;
}

export interface DwellModel {
  /** Leaving rate per ms, per age band, for states with evidence; `${status}/${subStatus}`. */
  readonly learned: ReadonlyMap<string, readonly number[]>;
  /** Observed exits behind each learned state, for display. */
  readonly exits: ReadonlyMap<string, number>;
}

export const PRIOR_ONLY_MODEL: DwellModel = { learned: new Map(), exits: new Map() };

export function stateKey(status: string, subStatus: string): string {
  return `${status.toUpperCase()}/${subStatus.toUpperCase()}`;
}

/** The posterior rates from the bot's evidence. */
export function learnDwell(evidence: readonly DwellEvidence[]): DwellModel {
  const sums = new Map<string, { status: string; subStatus: string; exits: number[]; exposure: number[] }>();
  for (const e of evidence) {
    if (e.band < 0 || e.band >= AGE_BANDS_MS.length) continue;
    const key = stateKey(e.status, e.subStatus);
    const entry = sums.get(key) ?? { status: e.status, subStatus: e.subStatus, exits: AGE_BANDS_MS.map(() => 0), exposure: AGE_BANDS_MS.map(() => 0) };
    entry.exits[e.band] = (entry.exits[e.band] ?? 0) + Math.max(0, e.exits);
    entry.exposure[e.band] = (entry.exposure[e.band] ?? 0) + Math.max(0, e.exposureMs);
    sums.set(key, entry);
  }
  const learned = new Map<string, number[]>();
  const exits = new Map<string, number>();
  for (const [key, entry] of sums) {
    const prior = priorMeansFor(entry.status, entry.subStatus);
    learned.set(
      key,
      prior.map((mean, band) => optimisticRate(PRIOR_EXITS + (entry.exits[band] ?? 0), PRIOR_EXITS * mean + (entry.exposure[band] ?? 0))),
    );
    exits.set(key, entry.exits.reduce((a, b) => a + b, 0));
  }
  return { learned, exits };
}

/**
 * The posterior mean plus one standard deviation, (a + √a) / b for Gamma(a, b): a state seen
 * little is polled as if it might move faster than its few exits say, so the bot learns it
 * instead of starving it (a rarely polled state's exits are seen late, which makes it look
 * slower still). With many exits this is the mean.
 */
function optimisticRate(exits: number, exposureMs: number): number {
  return (exits + Math.sqrt(exits)) / exposureMs;
}

/** Leaving rates per ms for a state, per age band. */
export function ratesFor(model: DwellModel, status: string, subStatus: string): readonly number[] {
  return model.learned.get(stateKey(status, subStatus)) ?? priorMeansFor(status, subStatus).map((mean) => optimisticRate(PRIOR_EXITS, PRIOR_EXITS * mean));
}

/** The cumulative hazard between ages a and b (a ≤ b): the survival from a to b is exp(−H). */
function cumulativeHazard(rates: readonly number[], fromAgeMs: number, toAgeMs: number): number {
  let total = 0;
  for (let band = 0; band < AGE_BANDS_MS.length; band += 1) {
    const start = AGE_BANDS_MS[band] ?? 0;
    const end = AGE_BANDS_MS[band + 1] ?? Number.POSITIVE_INFINITY;
    const overlap = Math.min(end, toAgeMs) - Math.max(start, fromAgeMs);
    if (overlap > 0) total += overlap * (rates[band] ?? 0);
  }
  return total;
}

/** The chance that a verification `ageMs` into its state when last seen has left it `elapsedMs` later. */
export function changeProbability(rates: readonly number[], ageMs: number, elapsedMs: number): number {
  if (elapsedMs <= 0) return 0;
  const age = Math.max(0, ageMs);
  return 1 - Math.exp(-cumulativeHazard(rates, age, age + elapsedMs));
}

/** How long after a poll at age `ageMs` the chance of a change reaches `p` (Infinity when it never does). */
export function msUntilProbability(rates: readonly number[], ageMs: number, p: number): number {
  if (p <= 0) return 0;
  if (p >= 1) return Number.POSITIVE_INFINITY;
  let needed = -Math.log(1 - p);
  let at = Math.max(0, ageMs);
  for (let band = 0; band < AGE_BANDS_MS.length; band += 1) {
    const end = AGE_BANDS_MS[band + 1] ?? Number.POSITIVE_INFINITY;
    if (end <= at) continue;
    const rate = rates[band] ?? 0;
    const room = (end - at) * rate;
    if (room >= needed) return at + needed / rate - Math.max(0, ageMs);
    needed -= room;
    at = end;
  }
  return Number.POSITIVE_INFINITY;
}

/**
 * The gap after a poll at which the weighted chance of news reaches the
 * threshold, bounded: never before `minMs`, never after `maxMs`.
 */
export function pollGapMs(
  rates: readonly number[],
  weight: number,
  ageMs: number,
  threshold: number,
  bounds: { minMs: number; maxMs: number },
): number {
  const p = weight <= threshold ? 1 : threshold / weight;
  return Math.min(bounds.maxMs, Math.max(bounds.minMs, Math.round(msUntilProbability(rates, ageMs, p))));
}

/** How many polled verifications are in one state at one age band. */
export interface BoardClass {
  status: string;
  subStatus: string;
  band: number;
  count: number;
}

export interface ThresholdInputs {
  board: readonly BoardClass[];
  /** Requests per ms the poller may spend. */
  ratePerMs: number;
  bounds: { minMs: number; maxMs: number };
  /** The lowest threshold: below this chance of news, a poll is not worth a request even when they are free. */
  floor: number;
}

/**
 * The threshold that spends the budget: every verification is polled when the
 * weighted chance that it moved reaches the same level (so the last request
 * spent anywhere buys as much news as anywhere else), and that level is the
 * lowest at which the board's demand fits the rate. Found by bisection.
 */
export function thresholdFor(model: DwellModel, inputs: ThresholdInputs): number {
  const demand = (threshold: number): number => {
    let perMs = 0;
    for (const c of inputs.board) {
      if (c.count <= 0) continue;
      const rates = ratesFor(model, c.status, c.subStatus);
      const age = AGE_BANDS_MS[c.band] ?? 0;
      perMs += c.count / pollGapMs(rates, weightOf(c.status, c.subStatus), age, threshold, inputs.bounds);
    }
    return perMs;
  };
  if (demand(inputs.floor) <= inputs.ratePerMs) return inputs.floor;
  let low = inputs.floor;
  let high = 2;
  for (let i = 0; i < 40; i += 1) {
    const mid = (low + high) / 2;
    if (demand(mid) > inputs.ratePerMs) low = mid;
    else high = mid;
  }
  return high;
}

/** The learned figures, for /healthz: mean time in state per age band, in seconds. */
export function describeModel(model: DwellModel): { state: string; exits: number; mean_s: number[] }[] {
  return [...model.learned.entries()]
    .map(([state, rates]) => ({
      state,
      exits: model.exits.get(state) ?? 0,
      mean_s: rates.map((rate) => Math.round(1 / rate / 100) / 10),
    }))
    .sort((a, b) => b.exits - a.exits || a.state.localeCompare(b.state));
}
