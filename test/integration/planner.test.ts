import { describe, expect, it } from 'vitest';
import { createPlanner, fasterClasses } from '../../src/jobs/planner.js';
import { openStore } from '../../src/store/store.js';
import { learnDwell, PRIOR_ONLY_MODEL } from '../../src/vkyc/dwell.js';
import type { VkycState } from '../../src/vkyc/types.js';

const T0 = Date.parse('2026-12-01T09:00:00Z');
const state = (verificationId: string, status = 'RECEIVED', subStatus = 'LINK_GENERATED'): VkycState => ({
  verificationId, referenceId: undefined, userId: undefined, status, subStatus, linkExpiry: undefined, meetingSchedule: undefined, hasRecording: false,
});
const bounds = { minMs: 1_000, maxMs: 5 * 60_000 };

describe('the planner brings waiting polls forward when it learns a state is faster', () => {
  it('names the classes whose gap at least halved, with the new gap', () => {
    const board = [
      { status: 'RECEIVED', subStatus: 'LINK_GENERATED', band: 0, count: 30 },
      { status: 'VIDEO_CALL', subStatus: 'CALL_STARTED', band: 0, count: 2 },
    ];
    const before = { model: PRIOR_ONLY_MODEL, threshold: 0.1 };
    // Customers here open links within seconds; nothing new about calls.
    const model = learnDwell([{ status: 'RECEIVED', subStatus: 'LINK_GENERATED', band: 0, exits: 40, exposureMs: 40 * 5_000 }]);
    const sooner = fasterClasses(board, before, { model, threshold: 0.1 }, bounds);
    expect(sooner.map((c) => c.subStatus)).toEqual(['LINK_GENERATED']);
    expect(sooner[0]?.gapMs).toBeLessThan(5_000);
    expect(fasterClasses(board, before, before, bounds)).toEqual([]);
  });

  it('moves the next poll of those verifications earlier, never later, and leaves others alone', () => {
    const store = openStore(':memory:');
    try {
      for (const id of ['vk_fresh', 'vk_claimed', 'vk_queue']) {
        store.recordObservation({ state: state(id, ...(id === 'vk_queue' ? ['PRE_VIDEO_CALL', 'USER_QUEUED'] as const : [])), nowMs: T0, finalReason: undefined });
        store.startTracking({ verificationId: id, teamId: 'T', channelId: 'C1', trackedBy: 'U', nowMs: T0 });
      }
      store.db.prepare('UPDATE verifications SET next_poll_at = ?').run(T0 + 60_000);
      store.claimDue(T0 + 60_000, 3, { by: 'other', atMs: T0 });
      store.releaseClaim('vk_fresh');
      store.releaseClaim('vk_queue');
      const moved = store.bringForward([{ status: 'RECEIVED', subStatus: 'LINK_GENERATED', band: 0, count: 2, gapMs: 2_000 }], T0 + 10_000, T0);
      expect(moved).toBe(1);
      expect(store.verification('vk_fresh')?.next_poll_at).toBe(T0 + 2_000);
      // A claimed one is being polled now; another state is not this class.
      expect(store.verification('vk_claimed')?.next_poll_at).toBe(T0 + 60_000);
      expect(store.verification('vk_queue')?.next_poll_at).toBe(T0 + 60_000);
      // Never later: a gap longer than the one scheduled changes nothing.
      expect(store.bringForward([{ status: 'RECEIVED', subStatus: 'LINK_GENERATED', band: 0, count: 2, gapMs: 120_000 }], T0 + 10_000, T0)).toBe(0);
    } finally {
      store.close();
    }
  });

  it('does it on its own refresh, when the new plan polls a class much sooner', () => {
    const store = openStore(':memory:');
    try {
      const planner = createPlanner({ store, requestsPerMinute: 6_000, learnEveryMs: 0, balanceEveryMs: 0 });
      for (let i = 0; i < 30; i += 1) {
        store.recordObservation({ state: state(`vk_${i}`), nowMs: T0, finalReason: undefined });
        store.startTracking({ verificationId: `vk_${i}`, teamId: 'T', channelId: 'C1', trackedBy: 'U', nowMs: T0 });
      }
      // A plan from a busier moment spaced these links out to the bound...
      store.setPollPlan({ model: PRIOR_ONLY_MODEL, threshold: 0.9 });
      store.recordObservation({ state: state('vk_0'), nowMs: T0 + 1_000, finalReason: undefined });
      const scheduled = store.verification('vk_0')?.next_poll_at ?? 0;
      expect(scheduled - (T0 + 1_000)).toBeGreaterThan(60_000);
      // ...and now requests are plentiful: the next refresh brings it forward.
      planner.refresh(T0 + 2_000);
      expect(store.verification('vk_0')?.next_poll_at ?? 0).toBeLessThan(T0 + 5_000);
    } finally {
      store.close();
    }
  });
});

describe('the planner keeps its reads to a small share of the time', () => {
  it('spaces a read out when it is slow, and back when it is quick again', () => {
    const store = openStore(':memory:');
    try {
      let readMs = 200;
      let clock = 0;
      const reads = { board: 0, evidence: 0 };
      // Each read advances the read clock by readMs: a board of 100,000 takes about that.
      const slow = <T>(read: () => T, kind: keyof typeof reads) => (): T => {
        reads[kind] += 1;
        clock += readMs;
        return read();
      };
      const planner = createPlanner({
        store: {
          ...store,
          pollBoard: (nowMs, pushedSinceMs) => slow(() => store.pollBoard(nowMs, pushedSinceMs), 'board')(),
          dwellEvidence: () => slow(() => store.dwellEvidence(), 'evidence')(),
        },
        requestsPerMinute: 600,
        readClock: () => clock,
      });
      for (let t = 0; t < 60_000; t += 1_000) planner.refresh(T0 + t);
      // 200 ms at most 2 % of the time: every 10 s, not every 2 s (board) or 5 s (evidence).
      expect(reads).toEqual({ board: 6, evidence: 6 });
      readMs = 1;
      for (let t = 60_000; t < 120_000; t += 1_000) planner.refresh(T0 + t);
      expect(reads.board).toBeGreaterThanOrEqual(6 + 29);
    } finally {
      store.close();
    }
  });
});
