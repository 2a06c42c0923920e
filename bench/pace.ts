import { setTimeout as delay } from 'node:timers/promises';

export { delay };

/** Polls `check` every `everyMs` until it returns a value, or throws after `timeoutMs`. */
export async function until<T>(what: string, check: () => T | undefined, timeoutMs = 30_000, everyMs = 2): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`bench: timed out after ${timeoutMs} ms waiting for ${what}`);
    await delay(everyMs);
  }
}

/**
 * Starts `send(i)` for i = 0..count-1 at a steady `perSecond`, on an absolute
 * schedule so one slow send does not delay the rest; resolves when all settle.
 */
export async function atSteadyPace<T>(count: number, perSecond: number, send: (i: number) => Promise<T>): Promise<T[]> {
  const started = performance.now();
  const pending: Promise<T>[] = [];
  for (let i = 0; i < count; i += 1) {
    const wait = started + (i * 1000) / perSecond - performance.now();
    if (wait > 0) await delay(wait);
    pending.push(send(i));
  }
  return Promise.all(pending);
}
