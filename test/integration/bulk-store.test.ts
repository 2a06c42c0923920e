import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/store.js';

describe('bulk batches in SQLite', () => {
  const draft = (store: ReturnType<typeof openStore>, nowMs: number) =>
    store.bulk.createDraft({
      batchKey: `k${nowMs}`,
      createdBy: 'U1',
      teamId: 'T1',
      dmChannel: 'DU1',
      nowMs,
      rows: [
        { row: 2, sealed: 'box-2', verificationId: 'bulk_k_2' },
        { row: 3, sealed: 'box-3', verificationId: 'bulk_k_3' },
      ],
      invalid: [{ row: 4, reason: 'phone_invalid', verificationId: 'bulk_k_4' }],
    });

  it('confirms a draft once, and only while it is fresh', () => {
    const store = openStore(':memory:');
    const old = draft(store, 1_000);
    const fresh = draft(store, 5_000);
    expect(store.bulk.claimDraft(old, 2_000)).toBe(false);
    expect(store.bulk.claimDraft(fresh, 2_000)).toBe(true);
    expect(store.bulk.claimDraft(fresh, 2_000)).toBe(false);
    expect(store.bulk.confirm(fresh, { channelId: 'C1', cardTs: '1.2', options: '{}', nowMs: 6_000 })).toBe(true);
    expect(store.bulk.openBatches().map((b) => b.id)).toEqual([fresh]);
    expect(store.bulk.purgeDrafts(2_000)).toBe(1);
    expect(store.bulk.batch(old)).toBeUndefined();
    store.close();
  });

  it('deletes a row\'s sealed values as it settles, and counts what is left', () => {
    const store = openStore(':memory:');
    const id = draft(store, 1_000);
    expect(store.bulk.counts(id)).toEqual({ total: 3, started: 0, failed: 1, remaining: 2 });
    store.bulk.markAttempt(id, 2, 2_000);
    expect(store.bulk.attemptsSince(1_999)).toBe(1);
    store.bulk.settle(id, 2, 'started');
    store.bulk.settle(id, 3, 'failed', 'cashfree:phone_value_invalid');
    expect(store.bulk.rows(id).map((r) => [r.row_number, r.state, r.sealed])).toEqual([
      [2, 'started', null],
      [3, 'failed', null],
      [4, 'invalid', null],
    ]);
    expect(store.bulk.counts(id)).toEqual({ total: 3, started: 1, failed: 2, remaining: 0 });
    expect(store.bulk.unreported(id).map((r) => r.row_number)).toEqual([3, 4]);
    store.close();
  });
});
