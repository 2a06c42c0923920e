import { describe, expect, it } from 'vitest';
import { createCadence, MAX_READ_SHARE } from '../../src/jobs/cadence.js';

describe('a read cadence', () => {
  it('reads at the base gap while reads are quick, spaces out a slow one, and is due at once after a reset', () => {
    let clock = 0;
    const cadence = createCadence(30_000, () => clock);
    expect(cadence.due(0)).toBe(true);
    expect(cadence.read(0, () => 'quick')).toBe('quick');
    expect(cadence.due(29_999)).toBe(false);
    expect(cadence.due(30_000)).toBe(true);
    // A read of 1 s keeps the next one 1 s / MAX_READ_SHARE away: 50 s.
    cadence.read(30_000, () => {
      clock += 1_000;
    });
    expect(cadence.due(30_000 + 30_000)).toBe(false);
    expect(cadence.due(30_000 + 1_000 / MAX_READ_SHARE)).toBe(true);
    cadence.reset();
    expect(cadence.due(30_001)).toBe(true);
  });
});
