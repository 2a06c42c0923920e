/**
 * Runs `work` over items pulled from `next` with at most `concurrency` in
 * flight. `next` returning undefined ends the run; a slow item holds only its
 * own slot. When `work` or `next` throws, no new item is taken, the items
 * already in flight finish, and the first error is thrown.
 */
export async function runPool<T>(
  concurrency: number,
  next: () => Promise<T | undefined> | T | undefined,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let done = false;
  let failure: { error: unknown } | undefined;
  async function worker(): Promise<void> {
    try {
      while (!done) {
        const item = await next();
        if (item === undefined) {
          done = true;
          return;
        }
        await work(item);
      }
    } catch (error) {
      done = true;
      failure ??= { error };
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  if (failure !== undefined) throw failure.error;
}
