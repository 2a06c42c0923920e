import { describe, expect, it } from 'vitest';
import { isQuietMinute, quietHoursOf, sendableAt } from '../../src/vkyc/quiet-hours.js';

const IST = 'Asia/Kolkata';
/** 2026-12-02 at hh:mm IST, in ms. */
const ist = (hh: number, mm = 0, day = 2) => Date.UTC(2026, 11, day, hh, mm) - (5 * 60 + 30) * 60_000;
const night = { fromMinute: 22 * 60, untilMinute: 7 * 60 };

describe('quiet hours', () => {
  it('sends at once outside quiet hours, or with none', () => {
    expect(sendableAt(ist(12), night, IST)).toBe(ist(12));
    expect(sendableAt(ist(21, 59), night, IST)).toBe(ist(21, 59));
    expect(sendableAt(ist(7), night, IST)).toBe(ist(7));
    expect(sendableAt(ist(23), undefined, IST)).toBe(ist(23));
  });

  it('holds a DM due in quiet hours until they end, over midnight too', () => {
    expect(sendableAt(ist(22), night, IST)).toBe(ist(7, 0, 3));
    expect(sendableAt(ist(23, 30) + 12_345, night, IST)).toBe(ist(7, 0, 3));
    expect(sendableAt(ist(3, 15), night, IST)).toBe(ist(7));
    expect(sendableAt(ist(6, 59) + 59_000, night, IST)).toBe(ist(7));
  });

  it('handles quiet hours within one day', () => {
    const lunch = { fromMinute: 13 * 60, untilMinute: 14 * 60 };
    expect(sendableAt(ist(13, 20), lunch, IST)).toBe(ist(14));
    expect(sendableAt(ist(14), lunch, IST)).toBe(ist(14));
    expect(sendableAt(ist(12, 59), lunch, IST)).toBe(ist(12, 59));
  });

  it('ends at the chosen wall-clock minute on a day the clocks change', () => {
    // Europe/London moved from 01:00 GMT to 02:00 BST on 2026-03-29: quiet 00:00–08:00 ends at 08:00 BST (07:00 UTC).
    const quiet = { fromMinute: 0, untilMinute: 8 * 60 };
    expect(sendableAt(Date.UTC(2026, 2, 29, 0, 30), quiet, 'Europe/London')).toBe(Date.UTC(2026, 2, 29, 7, 0));
  });

  it('applies only once both ends are chosen and differ', () => {
    expect(quietHoursOf({ quietFrom: 1320, quietUntil: 420 })).toEqual(night);
    expect(quietHoursOf({ quietFrom: 1320, quietUntil: null })).toBeUndefined();
    expect(quietHoursOf({ quietFrom: null, quietUntil: null })).toBeUndefined();
    expect(quietHoursOf({ quietFrom: 420, quietUntil: 420 })).toBeUndefined();
    expect(isQuietMinute(0, night)).toBe(true);
    expect(isQuietMinute(12 * 60, night)).toBe(false);
  });
});
