/** A seeded PRNG, so every bench run draws the same journeys (mulberry32: small, fast, good enough for workloads). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** A duration around `medianMs` with a log-normal spread: most near the median, a few much longer or shorter. */
export function logNormalMs(random: () => number, medianMs: number, sigma = 0.5): number {
  // Box–Muller; 1 - random() keeps the logarithm's argument above zero.
  const normal = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  return Math.round(medianMs * Math.exp(sigma * normal));
}

export function uniformMs(random: () => number, fromMs: number, toMs: number): number {
  return Math.round(fromMs + random() * (toMs - fromMs));
}
