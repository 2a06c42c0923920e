/**
 * Runs `work` over items pulled from `next` with at most `concurrency` in
 * flight. `next` returning undefined ends the run; a slow item holds only its
 * own slot. `work` must not throw: it owns its errors.
 */
export async function runPool<T>(
  concurrency: number,
  next: () => Promise<T | undefined> | T | undefined,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let done = false;
  async function worker(): Promise<void> {
    while (!done) {
      const item = await next();
      if (item === undefined) {
        done = true;
        return;
      }
      await work(item);
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
}
