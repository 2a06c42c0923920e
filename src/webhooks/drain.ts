import type { Logger } from '../log.js';

export interface WebhookDrain {
  /** A webhook was stored: process now, or once more right after the run under way. */
  kick(): void;
  /** Stops the timer; resolves when the run under way has finished. */
  stop(): Promise<void>;
}

/**
 * Stored webhook events are processed in one run at a time, where deliveries
 * happen (`enabled`: the poll-lease holder), at once when one arrives, and by
 * a timer that picks up events stored by another process or before a restart.
 */
export function startWebhookDrain(
  process: () => Promise<void>,
  options: { enabled: () => boolean; everyMs: number; logger: Logger; /** What the log line of a failed run calls it. */ what?: string },
): WebhookDrain {
  let running: Promise<void> | undefined;
  let again = false;
  const kick = (): void => {
    if (!options.enabled()) return;
    if (running !== undefined) {
      again = true;
      return;
    }
    running = process()
      .then(
        () => undefined,
        (error: unknown) => options.logger.error(`${options.what ?? 'webhook processing'} failed`, { error }),
      )
      .finally(() => {
        running = undefined;
        if (again) {
          again = false;
          kick();
        }
      });
  };
  const timer = setInterval(kick, options.everyMs);
  timer.unref();
  return {
    kick,
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
