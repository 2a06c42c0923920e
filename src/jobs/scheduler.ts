import cron from 'node-cron';
import type { Logger } from '../log.js';

export interface Job {
  /** Stops scheduling; resolves when the running execution (if any) has finished or `graceMs` passed. */
  stop(graceMs: number): Promise<void>;
}

export function isValidSchedule(expression: string): boolean {
  return cron.validate(expression);
}

/** The shortest gap between the schedule's next few runs, from node-cron's own next-run computation. */
export function scheduleIntervalMs(expression: string, runs = 8): number {
  const task = cron.createTask(expression, () => undefined);
  try {
    const times = task.getNextRuns(runs).map((date) => date.getTime());
    const gaps = times.slice(1).map((time, i) => time - (times[i] ?? time));
    return Math.min(...gaps);
  } finally {
    void task.destroy();
  }
}

/**
 * How long a tick keeps taking new work: most of one schedule interval, so the
 * next tick starts on time and re-reads priorities (an urgent verification, a
 * newly due one) instead of finding this one still running.
 */
export function tickMaxMsFor(expression: string): number {
  return Math.max(200, Math.floor(scheduleIntervalMs(expression) * 0.8));
}

/** node-cron's notice for a tick skipped because the previous one still runs: routine once the budget binds. */
const OVERLAP_NOTICE = 'overlap prevention';

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
        warn: (message) =>
          message.includes(OVERLAP_NOTICE) ? logger.debug(message, { job: name }) : logger.warn(message, { job: name }),
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
