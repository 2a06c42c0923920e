import { drawDwell, type Dwell } from './dwell.js';
import { dwellOf, MEETING_SUB_STATUS, planJourney, STANDARD_SHAPE, type JourneyShape, type PlannedJourney } from './journey-plan.js';
import { seededRandom } from './prng.js';
import type { IdealSubject, StateKnowledge } from './ideal-scheduler.js';

/**
 * The journey measure's family of mixes: boards of tracked verifications that
 * differ in how many are fresh, how many move, how fast, and what is booked or
 * expiring, so that no single mix can be tuned for. Pure: a spec and its seed
 * give the same board and the same journeys every run.
 */

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const uniform = (fromMs: number, toMs: number): Dwell => ({ kind: 'uniform', fromMs, toMs });

/** Verifications tracked alike: when, how many of their customers open the link during the run, and when. */
export interface TrackingGroup {
  /** fresh: tracked in the last minutes; old: tracked hours ago and idle since. */
  label: 'fresh' | 'old';
  count: number;
  /** First observed (tracked) this long before the start. */
  trackedAgo: Dwell;
  /** Last polled this long before the start (never before it was tracked). */
  lastPolledAgo: Dwell;
  /** Share whose customer opens the link during the run. */
  movingShare: number;
  /** When a customer who does open it opens it, from the start of the run. */
  opensAt: Dwell;
}

export interface MixSpec {
  /** a, b, c, d, or e1…e10 for the random ones. */
  key: string;
  /** Named: made to show one thing; random: drawn from a seed. */
  kind: 'named' | 'random';
  title: string;
  seed: number;
  /** The budget (CASHFREE_MAX_RPM) for this board. */
  maxRpm: number;
  groups: TrackingGroup[];
  shape: JourneyShape;
  /** Verifications whose customer never opens the link and whose link expires during the run. */
  expiring: number;
  expiresAt: Dwell;
  /** States planned after this are not played: the run ends here (plus time for the last replies). */
  horizonMs: number;
}

export interface MixVerification {
  /** Index into the spec's groups. */
  group: number;
  /** From the start of the run: at or before it. */
  trackedAtMs: number;
  lastPolledAtMs: number;
  /** Its customer's journey, only the states before the horizon; undefined when the customer never opens the link. */
  journey: PlannedJourney | undefined;
  expiresAtMs: number | undefined;
}

export interface Mix {
  spec: MixSpec;
  verifications: MixVerification[];
}

const OLD_IDLE = (count: number, movingShare: number): TrackingGroup => ({
  label: 'old',
  count,
  trackedAgo: uniform(HOUR, 6 * HOUR),
  lastPolledAgo: uniform(0, 5 * MINUTE),
  movingShare,
  opensAt: uniform(0, 60 * SECOND),
});

/** The four mixes each made to show one thing; board sizes and budgets keep the ratio of 2 requests a minute per tracked verification. */
export const NAMED_MIXES: readonly MixSpec[] = [
  {
    key: 'a',
    kind: 'named',
    title: 'fresh batch',
    seed: 20_261_201,
    maxRpm: 480,
    // A batch of links tracked just now: first observed at the start, no customer has opened one yet.
    groups: [{ label: 'fresh', count: 240, trackedAgo: uniform(0, 0), lastPolledAgo: uniform(0, 0), movingShare: 0.2, opensAt: uniform(0, 20 * SECOND) }],
    shape: STANDARD_SHAPE,
    expiring: 0,
    expiresAt: uniform(10 * SECOND, 80 * SECOND),
    horizonMs: 90 * SECOND,
  },
  {
    key: 'b',
    kind: 'named',
    title: 'long-idle board',
    seed: 20_261_202,
    maxRpm: 600,
    groups: [
      OLD_IDLE(270, 0.03),
      { label: 'fresh', count: 30, trackedAgo: uniform(30 * SECOND, 90 * SECOND), lastPolledAgo: uniform(0, SECOND), movingShare: 0.9, opensAt: uniform(0, 25 * SECOND) },
    ],
    shape: STANDARD_SHAPE,
    expiring: 5,
    expiresAt: uniform(10 * SECOND, 80 * SECOND),
    horizonMs: 90 * SECOND,
  },
  {
    key: 'c',
    kind: 'named',
    title: 'more movers than the budget',
    seed: 20_261_203,
    maxRpm: 300,
    groups: [{ label: 'fresh', count: 150, trackedAgo: uniform(0, 60 * SECOND), lastPolledAgo: uniform(0, SECOND), movingShare: 0.6, opensAt: uniform(0, 20 * SECOND) }],
    shape: STANDARD_SHAPE,
    expiring: 0,
    expiresAt: uniform(10 * SECOND, 80 * SECOND),
    horizonMs: 90 * SECOND,
  },
  {
    key: 'd',
    kind: 'named',
    title: 'booked calls and expiring links',
    seed: 20_261_204,
    maxRpm: 480,
    groups: [
      OLD_IDLE(200, 0),
      { label: 'fresh', count: 40, trackedAgo: uniform(0, 60 * SECOND), lastPolledAgo: uniform(0, SECOND), movingShare: 0.6, opensAt: uniform(0, 15 * SECOND) },
    ],
    shape: { ...STANDARD_SHAPE, scheduledShare: 0.7, meetingAfter: uniform(15 * SECOND, 30 * SECOND) },
    expiring: 30,
    expiresAt: uniform(10 * SECOND, 80 * SECOND),
    horizonMs: 100 * SECOND,
  },
];

export const RANDOM_MIX_SEEDS: readonly number[] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

/**
 * A mix drawn from `seed`: 150 to 300 tracked (at 2 requests a minute each), any share of them fresh,
 * 5–40 % of the fresh and 0–5 % of the old ones moving, dwells 0.6–1.6× the medians with a
 * spread of σ 0.3–0.7, up to half the calls booked, up to 15 links expiring.
 */
export function randomMixSpec(seed: number): MixSpec {
  const random = seededRandom(0x6a6f75 ^ Math.imul(seed, 2_654_435_761));
  const between = (from: number, to: number) => from + random() * (to - from);
  const tracked = 150 + Math.floor(random() * 151);
  const fresh = Math.round(tracked * random());
  const freshTrackedWithinMs = Math.round(between(0, 120 * SECOND));
  const groups: TrackingGroup[] = [
    {
      label: 'fresh',
      count: fresh,
      trackedAgo: uniform(0, freshTrackedWithinMs),
      lastPolledAgo: uniform(0, SECOND),
      movingShare: between(0.05, 0.4),
      opensAt: uniform(0, Math.round(between(10 * SECOND, 40 * SECOND))),
    },
    OLD_IDLE(tracked - fresh, between(0, 0.05)),
  ];
  return {
    key: `e${seed}`,
    kind: 'random',
    title: `random, seed ${seed}`,
    seed: Math.floor(random() * 2 ** 31),
    maxRpm: 2 * tracked,
    groups: groups.filter((g) => g.count > 0),
    shape: { ...STANDARD_SHAPE, dwellScale: between(0.6, 1.6), sigma: between(0.3, 0.7), scheduledShare: between(0, 0.5) },
    expiring: Math.floor(random() * 16),
    expiresAt: uniform(10 * SECOND, 80 * SECOND),
    horizonMs: 90 * SECOND,
  };
}

/** The board and its journeys, the same for the same spec. */
export function generateMix(spec: MixSpec): Mix {
  const random = seededRandom(spec.seed);
  const verifications: MixVerification[] = [];
  for (const [group, g] of spec.groups.entries()) {
    for (let i = 0; i < g.count; i += 1) {
      const trackedAtMs = 0 - drawDwell(random, g.trackedAgo);
      const lastPolledAtMs = Math.max(trackedAtMs, 0 - drawDwell(random, g.lastPolledAgo));
      const moves = random() < g.movingShare;
      const journey = moves ? withinHorizon(planJourney(random, spec.shape, drawDwell(random, g.opensAt)), spec.horizonMs) : undefined;
      verifications.push({ group, trackedAtMs, lastPolledAtMs, journey, expiresAtMs: undefined });
    }
  }
  // Expiring links are drawn among the customers who never open theirs.
  const idle = verifications.filter((v) => v.journey === undefined);
  for (let n = 0; n < spec.expiring && idle.length > 0; n += 1) {
    const [chosen] = idle.splice(Math.floor(random() * idle.length), 1);
    if (chosen !== undefined) chosen.expiresAtMs = drawDwell(random, spec.expiresAt);
  }
  return { spec, verifications };
}

function withinHorizon(journey: PlannedJourney, horizonMs: number): PlannedJourney | undefined {
  const states = journey.states.filter((s) => s.atMs <= horizonMs);
  return states.length === 0 ? undefined : { states, scheduledCall: journey.scheduledCall };
}

/**
 * The mix as the ideal scheduler sees it: what it knows of each verification at
 * the start (its group's chance of moving and when, its link expiry), and the
 * timeline it can only learn by polling. `appliedAtMs` gives when each state was
 * really applied in the run (from the start), so the ideal plays the same timeline.
 */
export function idealSubjects(
  mix: Mix,
  appliedAtMs: (index: number, state: number) => number | undefined,
  knows: IdealKnowledge = 'groups',
): IdealSubject[] {
  const unopened = unopenedDwell(mix.spec);
  return mix.verifications.map((v, index) => {
    const group = mix.spec.groups[v.group];
    if (group === undefined) throw new Error(`bench: mix ${mix.spec.key} has no group ${v.group}`);
    const states = (v.journey?.states ?? []).flatMap((s, i) => {
      const atMs = appliedAtMs(index, i);
      return atMs === undefined ? [] : [{ atMs, knowledge: knowledgeOf(mix.spec.shape, s.subStatus, s.meetingAtMs) }];
    });
    return {
      initial:
        knows === 'groups'
          ? { pMove: group.movingShare, originMs: 0, dwell: group.opensAt }
          : { pMove: unopened.pMove, originMs: v.trackedAtMs, dwell: unopened.dwell },
      lastPolledAtMs: v.lastPolledAtMs,
      expiresAtMs: v.expiresAtMs,
      states,
    };
  });
}

/**
 * What the ideal knows of an unopened link. `groups`: its group's chance of opening during the run, and
 * when (a fresh batch whose customers are on the phone, or a board idle for hours). `states`: only how
 * long links stay unopened on this board, from when each was tracked, as a scheduler that knows every
 * state's dwell-time distribution would, but not which batch a link belongs to: every unopened link of
 * the same age alike.
 */
export type IdealKnowledge = 'groups' | 'states';

/** Draws behind the `states` belief of an unopened link: enough that its steps are below a tenth of a percent. */
const DWELL_DRAWS = 4_000;

/** How long the board's links stay unopened, from tracking to opening: the links of every group pooled. */
function unopenedDwell(spec: MixSpec): { pMove: number; dwell: Dwell } {
  const total = spec.groups.reduce((sum, g) => sum + g.count, 0);
  const moving = spec.groups.reduce((sum, g) => sum + g.count * g.movingShare, 0);
  if (total === 0 || moving === 0) return { pMove: 0, dwell: uniform(0, 0) };
  const random = seededRandom(spec.seed ^ 0x5eed);
  const sortedMs: number[] = [];
  for (let n = 0; n < DWELL_DRAWS; n += 1) {
    let pick = random() * moving;
    const group = spec.groups.find((g) => (pick -= g.count * g.movingShare) < 0) ?? spec.groups[spec.groups.length - 1];
    if (group === undefined) continue;
    sortedMs.push(drawDwell(random, group.trackedAgo) + drawDwell(random, group.opensAt));
  }
  sortedMs.sort((a, b) => a - b);
  return { pMove: moving / total, dwell: { kind: 'empirical', sortedMs } };
}

/** What an answer showing `subStatus` tells a scheduler that knows the generator. */
function knowledgeOf(shape: JourneyShape, subStatus: string, meetingAtMs: number | undefined): StateKnowledge {
  if (subStatus === MEETING_SUB_STATUS && meetingAtMs !== undefined) return { kind: 'meeting', meetingAtMs, join: shape.join };
  const dwell = dwellOf(shape, subStatus);
  return dwell === undefined ? { kind: 'final' } : { kind: 'dwell', dwell };
}
