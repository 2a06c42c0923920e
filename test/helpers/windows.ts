/** Most grants in any window [t, t + windowMs). */
export function mostInAnyWindow(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (const [i, start] of sorted.entries()) {
    const inWindow = sorted.slice(i).filter((t) => t < start + windowMs).length;
    most = Math.max(most, inWindow);
  }
  return most;
}
