import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { VkycState } from '../../src/cashfree/schemas.js';
import { openStore, type Store } from '../../src/store/store.js';
import { observe } from '../../src/tracking/observe.js';

const TERMINAL = ['APPROVED', 'REJECTED', 'EXPIRED', 'FAILED'];

let dir: string;
let store: Store;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kyc-waits-'));
  store = openStore(join(dir, 'kyc.sqlite'));
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const state = (status: string, subStatus: string, linkExpiry?: string): VkycState => ({
  verificationId: 'vk_1', referenceId: 1, userId: 'u', status, subStatus, linkExpiry, meetingSchedule: undefined, hasRecording: false,
});
const deps = (nowMs: number) => ({ store, now: () => nowMs, terminalStatuses: TERMINAL });
const nextPoll = () => store.verification('vk_1')?.next_poll_at;
const wait = (executionId: string, nowMs: number) =>
  store.startWaiting({ executionId, verificationId: 'vk_1', teamId: 'T', userId: 'U', nowMs });

describe('workflow waits in SQLite', () => {
  it('keep an untracked verification polled until it ends, and settle with the final state once', () => {
    observe(deps(1), state('RECEIVED', 'LINK_GENERATED'));
    expect(nextPoll()).toBeNull();
    expect(wait('Fx1', 2)).toBe(true);
    expect(wait('Fx1', 3)).toBe(false);
    expect(nextPoll()).toBe(2);

    // A channel that stops tracking it does not stop the polling the wait needs.
    const claim = store.startTracking({ verificationId: 'vk_1', teamId: 'T', channelId: 'C1', trackedBy: 'U', nowMs: 4 });
    if (!claim.created) throw new Error('expected a new tracking');
    store.endTracking(claim.id, 'vk_1', 5, 'U', 'untracked');
    expect(nextPoll()).not.toBeNull();

    observe(deps(10), state('PRE_VIDEO_CALL', 'USER_QUEUED'));
    expect(store.waits.due(10, 10)).toEqual([]);
    observe(deps(20), state('APPROVED', 'AUDITOR_APPROVED'));
    expect(store.waits.due(20, 10)).toEqual([
      expect.objectContaining({ execution_id: 'Fx1', status: 'APPROVED', sub_status: 'AUDITOR_APPROVED', final_reason: 'terminal', settled_at: 20 }),
    ]);
    expect(nextPoll()).toBeNull();
    // A later observation of the same end does not settle it again with other times.
    observe(deps(30), state('APPROVED', 'AUDITOR_APPROVED'));
    expect(store.waits.get('Fx1')?.settled_at).toBe(20);
  });

  it('settles on an expired link, and is retried or closed as Slack answers', () => {
    observe(deps(1), state('RECEIVED', 'LINK_GENERATED', new Date(1_000).toISOString()));
    wait('Fx2', 2);
    observe(deps(2 * 86_400_000), state('RECEIVED', 'LINK_GENERATED', new Date(1_000).toISOString()));
    const [due] = store.waits.due(2 * 86_400_000, 10);
    expect(due?.final_reason).toBe('link_expired');
    store.waits.retryAt('Fx2', 'ratelimited', 2 * 86_400_000 + 5_000);
    expect(store.waits.due(2 * 86_400_000, 10)).toEqual([]);
    expect(store.waits.due(2 * 86_400_000 + 5_000, 10)).toHaveLength(1);
    store.waits.close('Fx2', 'completed', 2 * 86_400_000 + 6_000);
    expect(store.waits.due(3 * 86_400_000, 10)).toEqual([]);
  });

  it('keep their verification through the retention purge while open, and go with it once closed', () => {
    observe(deps(1), state('RECEIVED', 'LINK_GENERATED'));
    wait('Fx3', 2);
    observe(deps(3), state('REJECTED', 'AUDITOR_REJECTED'));
    expect(store.purgeEndedBefore(100)).toMatchObject({ verifications: 0, workflow_waits: 0 });
    store.waits.close('Fx3', 'failed', 4);
    expect(store.purgeEndedBefore(100)).toMatchObject({ verifications: 1, workflow_waits: 1 });
  });
});
