import cron from 'node-cron';
import type { Logger } from '../log.js';

export interface Job {
  /** Stops scheduling; resolves when the running execution (if any) has finished or `graceMs` passed. */
  stop(graceMs: number): Promise<void>;
}

export function isValidSchedule(expression: string): boolean {
  return cron.validate(expression);
}

/**
 * Runs `work` on a cron schedule. node-cron's `noOverlap` skips a tick while the
 * previous one still runs; the abort signal tells a running tick to wrap up.
 */
export function scheduleJob(
  name: string,
  expression: string,
  work: (signal: AbortSignal) => Promise<void>,
  logger: Logger,
  /** IANA time zone the expression is read in; the process's own when omitted. */
  timezone?: string,
): Job {
  const controller = new AbortController();
  let running: Promise<void> | undefined;
  const task = cron.schedule(
    expression,
    async () => {
      running = work(controller.signal).catch((error: unknown) => {
        logger.error(`${name} failed`, { error });
      });
      await running;
      running = undefined;
    },
    {
      name,
      ...(timezone === undefined ? {} : { timezone }),
      noOverlap: true,
      suppressMissedWarning: true,
      logger: {
        info: (message) => logger.debug(message, { job: name }),
        debug: (message) => logger.debug(String(message), { job: name }),
        warn: (message) => logger.warn(message, { job: name }),
        error: (message) => logger.error(String(message), { job: name }),
      },
    },
  );
  return {
    async stop(graceMs) {
      await task.stop();
      controller.abort();
      if (running !== undefined) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([running, new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)))]);
        clearTimeout(timer);
      }
      await task.destroy();
    },
  };
}
