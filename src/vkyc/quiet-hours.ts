/** An agent's quiet hours: when a DM may go, in the team's time zone. Pure, with an explicit clock. */

export interface QuietHours {
  /** Minutes after midnight in the time zone, 0–1439; quiet from this minute… */
  fromMinute: number;
  /** …until this one (exclusive). Before `fromMinute` means the quiet hours run over midnight. */
  untilMinute: number;
}

/** Quiet hours once both ends are chosen and differ; none otherwise. */
export function quietHoursOf(choice: { quietFrom: number | null; quietUntil: number | null }): QuietHours | undefined {
  const { quietFrom: from, quietUntil: until } = choice;
  return from === null || until === null || from === until ? undefined : { fromMinute: from, untilMinute: until };
}

const DAY_MINUTES = 24 * 60;

/** Minutes after midnight of `atMs` in `timeZone`, and the seconds and ms past that minute. */
function wallClock(atMs: number, timeZone: string): { minute: number; pastMinuteMs: number } {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(atMs));
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? '0');
  return { minute: part('hour') * 60 + part('minute'), pastMinuteMs: ((atMs % 60_000) + 60_000) % 60_000 };
}

/** Whether a wall-clock minute falls inside the quiet hours (equal ends mean no quiet hours at all). */
export function isQuietMinute(minute: number, quiet: QuietHours): boolean {
  const { fromMinute: from, untilMinute: until } = quiet;
  if (from === until) return false;
  return from < until ? minute >= from && minute < until : minute >= from || minute < until;
}

/**
 * When a DM due at `nowMs` may be sent: `nowMs` itself outside the quiet hours, else the moment they end (the DM
 * waits; it is not dropped). The end is found on the wall clock of `timeZone`, and checked there again, so a
 * day when the clocks change still ends at the chosen minute.
 */
export function sendableAt(nowMs: number, quiet: QuietHours | undefined, timeZone: string): number {
  if (quiet === undefined) return nowMs;
  const now = wallClock(nowMs, timeZone);
  if (!isQuietMinute(now.minute, quiet)) return nowMs;
  const minutesLeft = (quiet.untilMinute - now.minute + DAY_MINUTES) % DAY_MINUTES;
  let end = nowMs - now.pastMinuteMs + minutesLeft * 60_000;
  // Across a clock change the wall clock moved by the jump: correct by the difference, once.
  const landed = wallClock(end, timeZone).minute;
  if (landed !== quiet.untilMinute) {
    const drift = ((quiet.untilMinute - landed + DAY_MINUTES + DAY_MINUTES / 2) % DAY_MINUTES) - DAY_MINUTES / 2;
    end += drift * 60_000;
  }
  return Math.max(end, nowMs);
}
