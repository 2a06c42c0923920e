import { logNormalMs } from './prng.js';
import { upperBound } from './stats.js';

/**
 * How long something lasts, as the journey generator draws it. The same object
 * gives the ideal scheduler its knowledge (the distribution), so what the
 * generator draws and what the ideal believes cannot drift apart.
 */
export type Dwell =
  /** Log-normal around a median, clipped: a draw below `minMs` lasts `minMs`, one above `maxMs` lasts `maxMs`. */
  | { kind: 'log-normal'; medianMs: number; sigma: number; minMs: number; maxMs: number }
  | { kind: 'uniform'; fromMs: number; toMs: number }
  /** One of `parts`, chosen with its weight (weights sum to 1): only ever believed, never drawn. */
  | { kind: 'mixture'; parts: readonly { weight: number; dwell: Dwell }[] }
  /** The distribution of these draws, sorted: only ever believed, never drawn. */
  | { kind: 'empirical'; sortedMs: readonly number[] };

export function drawDwell(random: () => number, dwell: Dwell): number {
  if (dwell.kind === 'mixture' || dwell.kind === 'empirical') throw new Error(`bench: a ${dwell.kind} dwell is a belief, not drawn from`);
  if (dwell.kind === 'uniform') return Math.round(dwell.fromMs + random() * (dwell.toMs - dwell.fromMs));
  return Math.min(dwell.maxMs, Math.max(dwell.minMs, logNormalMs(random, dwell.medianMs, dwell.sigma)));
}

/** P(a draw ≤ ms). */
export function dwellCdf(dwell: Dwell, ms: number): number {
  if (dwell.kind === 'mixture') return dwell.parts.reduce((sum, part) => sum + part.weight * dwellCdf(part.dwell, ms), 0);
  if (dwell.kind === 'empirical') return upperBound(dwell.sortedMs, ms) / Math.max(1, dwell.sortedMs.length);
  if (dwell.kind === 'uniform') {
    if (ms >= dwell.toMs) return 1;
    if (ms < dwell.fromMs) return 0;
    return dwell.toMs === dwell.fromMs ? 1 : (ms - dwell.fromMs) / (dwell.toMs - dwell.fromMs);
  }
  if (ms < dwell.minMs) return 0;
  if (ms >= dwell.maxMs) return 1;
  return normalCdf(Math.log(ms / dwell.medianMs) / dwell.sigma);
}

/** Φ(z), through erf (Abramowitz and Stegun 7.1.26, error below 1.5e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}
