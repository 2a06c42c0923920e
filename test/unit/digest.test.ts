import { describe, expect, it } from 'vitest';
import { digestMessage } from '../../src/slack/digest.js';
import { homeView, teamCounts } from '../../src/slack/home-view.js';
import type { OutcomeRow, TrackedState } from '../../src/store/reports.js';

const NOW = Date.parse('2026-03-02T04:00:00.000Z');
const row = (id: string, status: string, sub: string, since = NOW - 60_000): TrackedState => ({
  tracking_id: 1,
  verification_id: id,
  channel_id: 'C1',
  parent_ts: '1.0',
  thread_ts: null,
  permalink: `https://sim.slack/archives/C1/p${id}`,
  tracked_by: 'U1',
  status,
  sub_status: sub,
  link_expiry: null,
  since,
});
const outcome = (id: string, status: string, sub: string): OutcomeRow => ({
  verification_id: id,
  permalink: null,
  status,
  sub_status: sub,
  final_reason: 'terminal',
  observed_at: NOW - 1000,
});

describe('digestMessage', () => {
  it('says nothing when nothing is tracked and nothing was decided', () => {
    expect(digestMessage({ tracked: [], outcomes: [], sinceMs: NOW - 86_400_000, nowMs: NOW, stuckAfterMs: 1_800_000 })).toBeUndefined();
  });
  it('gives counts by phase, what is stuck, and what was approved or rejected, with links', () => {
    const message = digestMessage({
      tracked: [row('a', 'RECEIVED', 'LINK_GENERATED'), row('b', 'PRE_VIDEO_CALL', 'USER_QUEUED', NOW - 3_600_000)],
      outcomes: [outcome('c', 'AUDITOR_REVIEWED', 'AUDITOR_APPROVED'), outcome('d', 'REJECTED', 'AUDITOR_REJECTED')],
      sinceMs: NOW - 86_400_000,
      nowMs: NOW,
      stuckAfterMs: 1_800_000,
    });
    const all = JSON.stringify(message);
    expect(message?.text).toBe('Video KYC digest: 2 tracked, 1 waiting too long, 1 approved, 1 rejected');
    expect(all).toContain('Waiting on the customer: 1');
    expect(all).toContain('Waiting too long (1)');
    expect(all).toContain('https://sim.slack/archives/C1/pb|thread');
    expect(all).toContain('Approved since the last digest (1)');
    expect(all).toContain('Rejected since the last digest (1)');
    // Nothing was cut, so no CSV button.
    expect(all).not.toContain('kyc_digest_csv');
  });

  it('lists 10 per list within the limits, says so, and offers the rest as a CSV', () => {
    const stuck = Array.from({ length: 60 }, (_, i) => row(`s${i}`, 'PRE_VIDEO_CALL', 'USER_QUEUED', NOW - 3_600_000));
    const approved = Array.from({ length: 45 }, (_, i) => outcome(`a${i}`, 'AUDITOR_REVIEWED', 'AUDITOR_APPROVED'));
    const rejected = Array.from({ length: 12 }, (_, i) => outcome(`r${i}`, 'REJECTED', 'AUDITOR_REJECTED'));
    const message = digestMessage({ tracked: stuck, outcomes: [...approved, ...rejected], sinceMs: NOW - 86_400_000, nowMs: NOW, stuckAfterMs: 1_800_000 });
    const all = JSON.stringify(message);
    expect(message?.text).toBe('Video KYC digest: 60 tracked, 60 waiting too long, 45 approved, 12 rejected');
    expect(all).toContain('Showing 10 of 60.');
    expect(all).toContain('Showing 10 of 45.');
    expect(all).toContain('Showing 10 of 12.');
    expect(all).toContain('`s9`');
    expect(all).not.toContain('`s10`');
    expect(message?.blocks?.length).toBeLessThanOrEqual(50);
    expect(message?.blocks?.at(-1)).toEqual({
      type: 'actions',
      block_id: 'kyc_digest_actions',
      elements: [{ type: 'button', action_id: 'kyc_digest_csv', text: { type: 'plain_text', text: 'Digest as CSV' }, value: JSON.stringify({ since: NOW - 86_400_000, until: NOW }) }],
    });
  });
});

describe('homeView', () => {
  it('stays within 100 blocks and summarises beyond the cap', () => {
    const mine = Array.from({ length: 500 }, (_, i) => row(`v${i}`, i % 2 === 0 ? 'RECEIVED' : 'VIDEO_CALL', i % 2 === 0 ? 'LINK_GENERATED' : 'CALL_COMPLETED'));
    const view = homeView(mine, teamCounts(mine, 3));
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    const text = JSON.stringify(view);
    expect(text).toContain('Showing 15 of 250, longest tracked first.');
    expect(text.match(/Showing 15 of 250/g)).toHaveLength(2);
    expect(text).toContain('`v28`');
    expect(text).not.toContain('`v30`');
    expect(text).toContain('*Ended today*\\n3');
    expect(text).toContain('*Tracked*\\n500');
  });
});
