import { copyFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { openStore } from '../src/store/store.js';
import { benchId, seedTracked } from './seed.js';
import { summarize, timeSync, type Summary } from './stats.js';
import { scratchDir } from './scratch.js';

export const STORE_SIZE = 100_000;
const CLAIM_RUNS = 300;
const RECORD_RUNS = 3_000;
const OPEN_RUNS = 30;
const PLANNER_RUNS = 20;

export interface StoreResults {
  tracked: number;
  seedMs: number;
  fileMb: number;
  claimDue100Ms: Summary;
  release100Ms: Summary;
  recordChangeMs: Summary;
  openExistingMs: Summary;
  openFreshMs: Summary;
  /** The planner's reads (src/jobs/planner.ts): the board every 2 s, the evidence every 5 s. */
  pollBoardMs: Summary;
  dwellEvidenceMs: Summary;
  /** Changes the evidence read covered. */
  evidenceChanges: number;
  /** A copy of the freshly seeded database (nothing pending), for the memory measure. */
  seededCopy: string;
  ids: string[];
}

/** Measure 6: src/store/store.ts with 100,000 tracked verifications in a SQLite file. */
export function measureStore(): StoreResults {
  const dir = scratchDir('store');
  const path = join(dir, 'kyc.sqlite');
  const ids = Array.from({ length: STORE_SIZE }, (_, i) => benchId('mem', i));
  let store = openStore(path);
  const seedMs = timeSync(() => seedTracked(store, ids, Date.now() - 60_000));
  store.close(); // checkpoints the WAL into the main file
  const seededCopy = join(dir, 'seeded.sqlite');
  copyFileSync(path, seededCopy);
  const { size } = statSync(path);

  const openExisting: number[] = [];
  for (let i = 0; i < OPEN_RUNS; i += 1) {
    openExisting.push(timeSync(() => (store = openStore(path))));
    store.close();
  }
  const openFresh: number[] = [];
  for (let i = 0; i < OPEN_RUNS; i += 1) {
    const fresh = join(dir, `fresh-${i}.sqlite`);
    openFresh.push(timeSync(() => (store = openStore(fresh))));
    store.close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(fresh + suffix, { force: true });
  }

  store = openStore(path);
  const claim: number[] = [];
  const release: number[] = [];
  for (let i = 0; i < CLAIM_RUNS; i += 1) {
    let claimed: { verification_id: string }[] = [];
    claim.push(timeSync(() => (claimed = store.claimDue(Date.now(), 100))));
    if (claimed.length !== 100) throw new Error(`bench: claimDue returned ${claimed.length} rows`);
    release.push(timeSync(() => claimed.forEach((row) => store.releaseClaim(row.verification_id))));
  }

  const record: number[] = [];
  for (let i = 0; i < RECORD_RUNS; i += 1) {
    // Each run a different verification, spread over the table, still at its seeded RECEIVED: always a change.
    const verificationId = ids[(i * 33) % ids.length] ?? '';
    const subStatus = i % 2 === 0 ? 'AADHAAR_VERIFICATION_SUCCESS' : 'USER_QUEUED';
    let changed = false;
    record.push(
      timeSync(() => {
        changed =
          store.recordObservation({
            state: { verificationId, referenceId: undefined, userId: undefined, status: 'PRE_VIDEO_CALL', subStatus, linkExpiry: undefined, meetingSchedule: undefined, hasRecording: false },
            nowMs: Date.now(),
            finalReason: undefined,
          }) !== undefined;
      }),
    );
    if (!changed) throw new Error('bench: recordObservation saw no change');
  }
  const board: number[] = [];
  const evidence: number[] = [];
  for (let i = 0; i < PLANNER_RUNS; i += 1) {
    board.push(timeSync(() => store.pollBoard(Date.now(), Date.now() - 10 * 60_000)));
    evidence.push(timeSync(() => store.dwellEvidence()));
  }
  const evidenceChanges = Number(store.db.prepare('SELECT count(*) AS n FROM changes').pluck().get());
  store.close();

  return {
    tracked: STORE_SIZE,
    seedMs,
    fileMb: size / 1024 / 1024,
    claimDue100Ms: summarize(claim),
    release100Ms: summarize(release),
    recordChangeMs: summarize(record),
    openExistingMs: summarize(openExisting),
    openFreshMs: summarize(openFresh),
    pollBoardMs: summarize(board),
    dwellEvidenceMs: summarize(evidence),
    evidenceChanges,
    seededCopy,
    ids,
  };
}
