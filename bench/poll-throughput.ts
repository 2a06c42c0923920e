import { join } from 'node:path';
import { runTick } from '../src/jobs/poller.js';
import { openStore, type Store } from '../src/store/store.js';
import { naivePoll } from './naive-poller.js';
import { pollerDeps } from './poller-deps.js';
import { benchId, seedSim, seedTracked } from './seed.js';
import type { Sims } from './sims.js';
import { scratchDir } from './scratch.js';

export const POLL_LATENCY_MS = 50;
/** Passes that would take longer than this are cut here and their full-pass time extrapolated from the rate. */
export const PARTIAL_PASS_MS = 5_000;

export interface PassResult {
  label: string;
  verifications: number;
  concurrency: number | 'naive';
  /** Requests actually made in this run. */
  polled: number;
  /** A full pass, or one cut after PARTIAL_PASS_MS. */
  full: boolean;
  wallMs: number;
  requestsPerSecond: number;
  /** wallMs for a full pass; extrapolated from the rate when the run was cut. */
  fullPassMs: number;
}

export interface ThroughputResults {
  latencyMs: number;
  passes: PassResult[];
  /** Requests/s of the bot at concurrency 16 over the naive poller's, per workload size. */
  ratioC16VsNaive: Record<string, number>;
  /** The workload at 1,000, left fully due, for the budget measure. */
  store: Store;
  ids: string[];
}

/**
 * Which passes run in full and which are cut after PARTIAL_PASS_MS: a sequential
 * pass is latency-bound (N × 50 ms: 50 s at 1,000, 500 s at 10,000), so its rate is
 * measured on a cut pass and its full-pass time extrapolated. Concurrency 16 always
 * runs a full pass, since it is the figure compared with the goal.
 */
const PLAN: readonly { size: number; runs: readonly (number | 'naive')[]; full: readonly (number | 'naive')[] }[] = [
  { size: 1_000, runs: ['naive', 1, 4, 16], full: [4, 16] },
  { size: 10_000, runs: ['naive', 4, 16], full: [16] },
];

/** Measure 3: one poll pass (src/jobs/poller.ts runTick) over 1,000 and 10,000 tracked verifications. */
export async function measurePollThroughput(sims: Sims): Promise<ThroughputResults> {
  sims.cashfree.setLatency(POLL_LATENCY_MS);
  const passes: PassResult[] = [];
  const ratio: Record<string, number> = {};
  let kept: Workload | undefined;
  for (const { size, runs, full } of PLAN) {
    const w = workload(sims, `tp${size}`, size);
    if (kept === undefined) await botPass(sims, w, 16, 500); // warm-up: JIT, connections, SQLite cache
    let naiveRate = Number.NaN;
    for (const run of runs) {
      const cap = full.includes(run) ? undefined : PARTIAL_PASS_MS;
      const pass = run === 'naive' ? await naivePass(sims, w, cap) : await botPass(sims, w, run, cap);
      passes.push(pass);
      if (run === 'naive') naiveRate = pass.requestsPerSecond;
      if (run === 16) ratio[String(size)] = pass.requestsPerSecond / naiveRate;
    }
    if (kept === undefined) kept = w;
    else w.store.close();
  }
  sims.cashfree.setLatency(0);
  sims.forget();
  if (kept === undefined) throw new Error('bench: no poll workload');
  return { latencyMs: POLL_LATENCY_MS, passes, ratioC16VsNaive: ratio, store: kept.store, ids: kept.ids };
}

interface Workload {
  ids: string[];
  path: string;
  store: Store;
}

function workload(sims: Sims, prefix: string, count: number): Workload {
  const ids = Array.from({ length: count }, (_, i) => benchId(prefix, i));
  const path = join(scratchDir('poll'), 'kyc.sqlite');
  const store = openStore(path);
  seedTracked(store, ids, Date.now() - 60_000);
  seedSim(sims.cashfree, ids);
  return { ids, path, store };
}

/**
 * One runTick with a budget that never binds. A pass still running after
 * `capMs` (when given) is aborted (runTick stops taking work) and reopened, as a restart would,
 * so the claims it held are released before the next run.
 */
async function botPass(sims: Sims, w: Workload, concurrency: number, capMs: number | undefined): Promise<PassResult> {
  sims.forget();
  const deps = pollerDeps(w.store, sims, { concurrency });
  const signal = capMs === undefined ? new AbortController().signal : AbortSignal.timeout(capMs);
  const started = performance.now();
  const stats = await runTick(deps, signal);
  const wallMs = performance.now() - started;
  await deps.cashfree.close();
  const full = !signal.aborted && stats.polled === w.ids.length;
  if (!full) {
    w.store.close();
    w.store = openStore(w.path);
  }
  return passResult(`bot c=${concurrency}`, w.ids.length, concurrency, stats.polled, full, wallMs);
}

async function naivePass(sims: Sims, w: Workload, capMs: number | undefined): Promise<PassResult> {
  const signal = capMs === undefined ? new AbortController().signal : AbortSignal.timeout(capMs);
  const started = performance.now();
  const { polled } = await naivePoll(sims.cashfree.baseUrl, w.ids, new Map(), signal);
  const wallMs = performance.now() - started;
  return passResult('naive sequential', w.ids.length, 'naive', polled, polled === w.ids.length, wallMs);
}

function passResult(label: string, verifications: number, concurrency: number | 'naive', polled: number, full: boolean, wallMs: number): PassResult {
  const requestsPerSecond = (polled * 1000) / wallMs;
  return {
    label,
    verifications,
    concurrency,
    polled,
    full,
    wallMs,
    requestsPerSecond,
    fullPassMs: full ? wallMs : (verifications * 1000) / requestsPerSecond,
  };
}
