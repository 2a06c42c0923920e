import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { VkycState } from '../../src/cashfree/schemas.js';
import { openStore, type Store } from '../../src/store/store.js';

let dir: string;
let store: Store;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kyc-turnaround-'));
  store = openStore(join(dir, 'kyc.sqlite'));
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const state = (verificationId: string, status: string, subStatus: string): VkycState => ({
  verificationId, referenceId: undefined, userId: undefined, status, subStatus,
  linkExpiry: undefined, meetingSchedule: undefined, hasRecording: false,
});

/** A verification tracked in a channel with its card posted, observed at `at` in each state. */
function journey(id: string, channel: string, trackedBy: string, steps: Array<[string, string, number]>): void {
  const [first, ...rest] = steps;
  if (first === undefined) return;
  store.recordObservation({ state: state(id, first[0], first[1]), nowMs: first[2], finalReason: undefined });
  const tracking = store.startTracking({ verificationId: id, teamId: 'T', channelId: channel, trackedBy, nowMs: first[2] });
  if (tracking.created) store.setParent(tracking.id, `${first[2]}.0001`, undefined);
  for (const [status, subStatus, at] of rest) store.recordObservation({ state: state(id, status, subStatus), nowMs: at, finalReason: undefined });
}

describe('turnaround queries', () => {
  it('reads each tracked journey with its template and owner, per channel or all', () => {
    journey('vk_a', 'C1', 'U_TRACKER', [['RECEIVED', 'LINK_GENERATED', 1_000], ['PRE_VIDEO_CALL', 'USER_QUEUED', 5_000]]);
    store.channels.recordOrigin({ verificationId: 'vk_a', userTemplate: 'tpl_user', agentTemplate: 'tpl_agent', startedBy: 'U_STARTER', atMs: 1_000 });
    journey('vk_b', 'C2', 'U_B', [['RECEIVED', 'LINK_GENERATED', 2_000], ['PRE_VIDEO_CALL', 'AADHAAR_VERIFICATION_SUCCESS', 9_000]]);
    // Observed, never tracked: no one's journey.
    store.recordObservation({ state: state('vk_c', 'PRE_VIDEO_CALL', 'USER_QUEUED'), nowMs: 3_000, finalReason: undefined });

    const all = store.journeyRecords({ startMs: 4_000, endMs: 10_000 });
    expect(all.map((r) => [r.verificationId, r.template, r.owner, r.startedAt, r.changes.length])).toEqual([
      ['vk_a', 'tpl_user', 'U_STARTER', 1_000, 2],
      ['vk_b', undefined, 'U_B', undefined, 2],
    ]);
    expect(all[0]?.changes[1]).toEqual({ status: 'PRE_VIDEO_CALL', subStatus: 'USER_QUEUED', observedAt: 5_000, seenBeforeAt: 1_000, finalReason: null });
    expect(store.journeyRecords({ startMs: 4_000, endMs: 10_000 }, 'C2').map((r) => r.verificationId)).toEqual(['vk_b']);
    // A period after every change's gap finds nothing.
    expect(store.journeyRecords({ startMs: 9_001, endMs: 20_000 })).toEqual([]);
    expect(store.reportChannels({ startMs: 0, endMs: 10_000 })).toEqual(['C1', 'C2']);
  });

  it('marks a report once per channel and week, until released or purged', () => {
    expect(store.claimReport('C1', 100, 1)).toBe(true);
    expect(store.claimReport('C1', 100, 2)).toBe(false);
    expect(store.claimReport('C1', 200, 2)).toBe(true);
    store.releaseReport('C1', 100);
    expect(store.claimReport('C1', 100, 3)).toBe(true);
    expect(store.purgeReportsBefore(150)).toBe(1);
    expect(store.claimReport('C1', 200, 4)).toBe(false);
  });
});
