import { describe, expect, it } from 'vitest';
import { drawDwell, dwellCdf, type Dwell } from '../../bench/dwell.js';
import { dwellOf, MEETING_SUB_STATUS, STANDARD_SHAPE } from '../../bench/journey-plan.js';
import { generateMix, idealSubjects, NAMED_MIXES, RANDOM_MIX_SEEDS, randomMixSpec, type MixSpec } from '../../bench/journey-mixes.js';
import { seededRandom } from '../../bench/prng.js';

function named(key: string): MixSpec {
  const spec = NAMED_MIXES.find((m) => m.key === key);
  if (spec === undefined) throw new Error(`no mix ${key}`);
  return spec;
}

describe('the journey mix family', () => {
  it('draws the same board and journeys from the same seed, and others from other seeds', () => {
    for (const seed of RANDOM_MIX_SEEDS) {
      expect(randomMixSpec(seed)).toEqual(randomMixSpec(seed));
      expect(generateMix(randomMixSpec(seed))).toEqual(generateMix(randomMixSpec(seed)));
    }
    const specs = RANDOM_MIX_SEEDS.map((seed) => JSON.stringify(randomMixSpec(seed)));
    expect(new Set(specs).size).toBe(RANDOM_MIX_SEEDS.length);
    expect(generateMix(named('a'))).toEqual(generateMix(named('a')));
  });

  it('keeps random mixes within their spreads, at two requests a minute per tracked verification', () => {
    for (const seed of RANDOM_MIX_SEEDS) {
      const spec = randomMixSpec(seed);
      const tracked = spec.groups.reduce((sum, g) => sum + g.count, 0);
      expect(tracked).toBeGreaterThanOrEqual(150);
      expect(tracked).toBeLessThanOrEqual(300);
      expect(spec.maxRpm).toBe(2 * tracked);
      expect(spec.shape.dwellScale).toBeGreaterThanOrEqual(0.6);
      expect(spec.shape.dwellScale).toBeLessThanOrEqual(1.6);
      expect(spec.expiring).toBeLessThanOrEqual(15);
      expect(generateMix(spec).verifications).toHaveLength(tracked);
    }
  });

  it('seeds the fresh batch as tracked at the start, not hours ago, with a minority moving', () => {
    const mix = generateMix(named('a'));
    expect(mix.verifications.every((v) => v.trackedAtMs === 0 && v.lastPolledAtMs === 0)).toBe(true);
    const moving = mix.verifications.filter((v) => v.journey !== undefined).length;
    expect(moving).toBeGreaterThan(0);
    expect(moving).toBeLessThan(mix.verifications.length / 2);
  });

  it('plays journeys in order within the horizon, and expires only links never opened', () => {
    for (const spec of [...NAMED_MIXES, ...RANDOM_MIX_SEEDS.map(randomMixSpec)]) {
      const mix = generateMix(spec);
      for (const v of mix.verifications) {
        const times = (v.journey?.states ?? []).map((s) => s.atMs);
        expect(times).toEqual([...times].sort((a, b) => a - b));
        expect(times.every((t) => t >= 0 && t <= spec.horizonMs)).toBe(true);
        if (v.expiresAtMs !== undefined) expect(v.journey).toBeUndefined();
        expect(v.lastPolledAtMs).toBeGreaterThanOrEqual(v.trackedAtMs);
        expect(v.lastPolledAtMs).toBeLessThanOrEqual(0);
      }
      expect(mix.verifications.filter((v) => v.expiresAtMs !== undefined)).toHaveLength(spec.expiring);
    }
  });

  it('tells the ideal what an answer shows (a dwell, a booked call, the end), never the draws', () => {
    const mix = generateMix(named('d'));
    const subjects = idealSubjects(mix, (i, step) => mix.verifications[i]?.journey?.states[step]?.atMs);
    const booked = mix.verifications.findIndex((v) => v.journey?.scheduledCall === true);
    const states = mix.verifications[booked]?.journey?.states ?? [];
    const meeting = states.findIndex((s) => s.subStatus === MEETING_SUB_STATUS);
    expect(subjects[booked]?.states[meeting]?.knowledge).toEqual({ kind: 'meeting', meetingAtMs: states[meeting]?.meetingAtMs, join: STANDARD_SHAPE.join });
    expect(subjects[booked]?.states[0]?.knowledge).toEqual({ kind: 'dwell', dwell: dwellOf(STANDARD_SHAPE, 'AADHAAR_VERIFICATION_SUCCESS') });
    expect(subjects[booked]?.initial).toEqual({ pMove: 0.6, originMs: 0, dwell: mix.spec.groups[1]?.opensAt });
  });

  it('tells the state ideal how long the board\'s links stay unopened, from their tracking, never which batch each is in', () => {
    const mix = generateMix(named('b'));
    const subjects = idealSubjects(mix, (i, step) => mix.verifications[i]?.journey?.states[step]?.atMs, 'states');
    const [old, fresh] = mix.spec.groups;
    const movers = (g: typeof old) => (g?.count ?? 0) * (g?.movingShare ?? 0);
    const dwell = subjects[0]?.initial.dwell;
    expect(subjects.every((s) => s.initial.dwell === dwell && s.initial.pMove === subjects[0]?.initial.pMove)).toBe(true);
    expect(subjects[0]?.initial.pMove).toBeCloseTo((movers(old) + movers(fresh)) / mix.verifications.length, 9);
    expect(subjects.map((s) => s.initial.originMs)).toEqual(mix.verifications.map((v) => v.trackedAtMs));
    // The fresh batch opens 30 s to 115 s after it was tracked, the old board an hour or more after: by two
    // minutes, the fresh batch's share of the movers has opened, within the draws' sampling error.
    const share = movers(fresh) / (movers(old) + movers(fresh));
    expect(Math.abs(dwellCdf(dwell ?? STANDARD_SHAPE.join, 2 * 60_000) - share)).toBeLessThan(0.03);
    expect(dwellCdf(dwell ?? STANDARD_SHAPE.join, 20_000)).toBe(0);
  });

  it('gives the ideal the distribution the generator draws from', () => {
    const random = seededRandom(7);
    const dwells: Dwell[] = [dwellOf(STANDARD_SHAPE, 'USER_QUEUED') ?? STANDARD_SHAPE.join, STANDARD_SHAPE.meetingAfter];
    for (const dwell of dwells) {
      const draws = Array.from({ length: 20_000 }, () => drawDwell(random, dwell));
      for (const at of [2_000, 6_000, 9_000, 15_000, 25_000]) {
        const empirical = draws.filter((d) => d <= at).length / draws.length;
        expect(Math.abs(empirical - dwellCdf(dwell, at))).toBeLessThan(0.015);
      }
    }
  });
});
