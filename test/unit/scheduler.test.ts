import { setTimeout as delay } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { scheduleIntervalMs, scheduleJob, tickMaxMsFor } from '../../src/jobs/scheduler.js';
import { createLogger } from '../../src/log.js';

describe('schedule intervals', () => {
  it('reads the interval from the cron expression', () => {
    expect(scheduleIntervalMs('* * * * * *')).toBe(1_000);
    expect(scheduleIntervalMs('*/6 * * * * *')).toBe(6_000);
    expect(scheduleIntervalMs('* * * * *')).toBe(60_000);
    expect(scheduleIntervalMs('0 */5 * * * *')).toBe(300_000);
  });

  it('lets a tick take new work for most of one interval', () => {
    expect(tickMaxMsFor('* * * * * *')).toBe(800);
    expect(tickMaxMsFor('* * * * *')).toBe(48_000);
  });
});

describe('scheduleJob', () => {
  it('logs a tick skipped while the previous one runs at debug, not as a warning', async () => {
    const lines: { level: string; msg: string }[] = [];
    const logger = createLogger({ level: 'debug', write: (line) => lines.push(JSON.parse(line) as { level: string; msg: string }) });
    let started = 0;
    const job = scheduleJob('poll', '* * * * * *', async () => {
      started += 1;
      await delay(2_300);
    }, logger);
    // A tick that outlasts two schedule slots makes node-cron skip at least one.
    for (let waited = 0; waited < 6_000 && !lines.some((l) => l.msg.includes('overlap')); waited += 100) await delay(100);
    await job.stop(3_000);
    expect(started).toBeGreaterThanOrEqual(1);
    const overlap = lines.filter((l) => l.msg.includes('overlap prevention'));
    expect(overlap.length).toBeGreaterThanOrEqual(1);
    expect(overlap.every((l) => l.level === 'debug')).toBe(true);
    expect(lines.filter((l) => l.level === 'warn')).toEqual([]);
  }, 15_000);
});
