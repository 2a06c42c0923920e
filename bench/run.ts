import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { BUDGET, measureBudgetAdherence, type BudgetResults } from './budget-adherence.js';
import { measureChangeLatency, type ChangeLatencyResults } from './change-latency.js';
import { measureCommands, type AckResult, type CommandResults } from './commands.js';
import { measureFanout, type FanoutResults } from './fanout.js';
import { measureJourneyFamily } from './journey.js';
import { MAX_READ_SHARE } from '../src/jobs/cadence.js';
import { journeyRows } from './journey-rows.js';
import { measureMemory, type MemoryResults } from './memory.js';
import { measureTrackBurst, type TrackBurstResults } from './track-burst.js';
import { measureOutage, type OutageResults } from './outage.js';
import { measurePollThroughput, PARTIAL_PASS_MS, type ThroughputResults } from './poll-throughput.js';
import { formatTable, machine, rounded, type Row } from './report.js';
import { removeScratchDirs } from './scratch.js';
import { startSims } from './sims.js';
import { measureStore, type StoreResults } from './store-scale.js';

/**
 * `npm run bench`: every measure of issues 4, 9 and 15 against the real code and the
 * local simulators, a table on stdout, and bench/results.json. Names on the
 * command line (store, commands, poll, budget, change, memory, burst, journey, outage, fanout)
 * run only those and write nothing, for working on one measure.
 */
const MEASURES = ['store', 'commands', 'poll', 'budget', 'change', 'memory', 'burst', 'journey', 'outage', 'fanout'] as const;
type Measure = (typeof MEASURES)[number];

async function main(): Promise<void> {
  const only = process.argv.slice(2).filter((arg): arg is Measure => (MEASURES as readonly string[]).includes(arg));
  const runs = (name: Measure) => only.length === 0 || only.includes(name) || (name === 'poll' && only.includes('budget'));
  const started = Date.now();
  const loadBefore = loadavg();
  const sims = await startSims();
  const results: Record<string, unknown> = {};
  const rows: Row[] = [];
  const step = async <T>(name: Measure, measure: () => Promise<T> | T, toRows: (result: T) => Row[]): Promise<T | undefined> => {
    if (!runs(name)) return undefined;
    const stepStarted = Date.now();
    process.stderr.write(`bench: ${name}…\n`);
    const result = await measure();
    process.stderr.write(`bench: ${name} took ${((Date.now() - stepStarted) / 1000).toFixed(1)} s\n`);
    results[name] = result;
    rows.push(...toRows(result));
    return result;
  };
  try {
    const store = await step('store', measureStore, storeRows);
    await step('commands', () => measureCommands(sims), commandRows);
    const poll = await step('poll', () => measurePollThroughput(sims), pollRows);
    if (poll !== undefined) {
      await step('budget', () => measureBudgetAdherence(sims, poll.store), budgetRows);
      poll.store.close();
    }
    await step('change', () => measureChangeLatency(sims), changeRows);
    if (store !== undefined) await step('memory', () => measureMemory(sims, store.seededCopy, store.ids), memoryRows);
    await step('burst', () => measureTrackBurst(sims), burstRows);
    await step('journey', () => measureJourneyFamily(sims), journeyRows);
    await step('outage', () => measureOutage(sims), outageRows);
    await step('fanout', () => measureFanout(sims), fanoutRows);
  } finally {
    await sims.close();
    removeScratchDirs();
  }
  const durationS = (Date.now() - started) / 1000;
  // Load averages (1/5/15 min) before and after: another process sharing the cores shows up here.
  const load = { before: loadBefore, after: loadavg() };
  const report = { date: new Date().toISOString(), machine: machine(), load, durationS, table: rows, results: withoutBulk(results) };
  process.stdout.write(`\n${formatTable(rows)}\n\nmachine: ${JSON.stringify(report.machine)}\nload average before/after: ${load.before.map((l) => l.toFixed(2)).join(' ')} / ${load.after.map((l) => l.toFixed(2)).join(' ')}\nrun took ${durationS.toFixed(0)} s\n`);
  if (only.length === 0) {
    const path = resolve(process.cwd(), 'bench/results.json');
    writeFileSync(path, `${JSON.stringify(rounded(report), null, 2)}\n`);
    process.stdout.write(`wrote ${path}\n`);
  }
}

/** Drops what is there only to hand work between measures (id lists, open stores, file paths). */
function withoutBulk(results: Record<string, unknown>): Record<string, unknown> {
  const skip = new Set(['ids', 'store', 'seededCopy']);
  return Object.fromEntries(
    Object.entries(results).map(([name, value]) => [
      name,
      typeof value === 'object' && value !== null ? Object.fromEntries(Object.entries(value).filter(([key]) => !skip.has(key))) : value,
    ]),
  );
}

const below = (limit: number) => (value: number) => value < limit;

function storeRows(r: StoreResults): Row[] {
  const m = '6 store (100k tracked)';
  return [
    { measure: m, figure: 'claimDue next 100, median', value: r.claimDue100Ms.p50, unit: 'ms', goal: '< 5 ms', pass: below(5)(r.claimDue100Ms.p50), note: `p95 ${r.claimDue100Ms.p95.toFixed(2)} ms over ${r.claimDue100Ms.n}` },
    { measure: m, figure: 'release 100 claims, median', value: r.release100Ms.p50, unit: 'ms', note: `p95 ${r.release100Ms.p95.toFixed(2)} ms` },
    { measure: m, figure: 'record a change, median', value: r.recordChangeMs.p50, unit: 'ms', goal: '< 1 ms', pass: below(1)(r.recordChangeMs.p50), note: `p95 ${r.recordChangeMs.p95.toFixed(3)} ms over ${r.recordChangeMs.n}` },
    { measure: m, figure: 'open + migrate, existing file, median', value: r.openExistingMs.p50, unit: 'ms', note: `p95 ${r.openExistingMs.p95.toFixed(1)} ms; file ${r.fileMb.toFixed(0)} MB` },
    { measure: m, figure: 'open + migrate, fresh file, median', value: r.openFreshMs.p50, unit: 'ms', note: `p95 ${r.openFreshMs.p95.toFixed(1)} ms` },
    { measure: m, figure: 'planner: the board by state and age, median', value: r.pollBoardMs.p50, unit: 'ms', note: `p95 ${r.pollBoardMs.p95.toFixed(1)} ms; read every 2 s` },
    { measure: m, figure: 'planner: the dwell evidence, median', value: r.dwellEvidenceMs.p50, unit: 'ms', note: `p95 ${r.dwellEvidenceMs.p95.toFixed(1)} ms over ${r.evidenceChanges.toLocaleString('en-US')} changes; read every 5 s` },
    plannerShareRow(m, r),
  ];
}

/** The planner's reads as a share of one core: each at its base cadence, or spaced out to MAX_READ_SHARE when slower. */
function plannerShareRow(m: string, r: StoreResults): Row {
  const naive = r.pollBoardMs.p50 / 2_000 + r.dwellEvidenceMs.p50 / 5_000;
  const share = Math.min(MAX_READ_SHARE, r.pollBoardMs.p50 / 2_000) + Math.min(MAX_READ_SHARE, r.dwellEvidenceMs.p50 / 5_000);
  return {
    measure: m,
    figure: 'planner: share of one core',
    value: share * 100,
    unit: '%',
    goal: '≤ 4 %',
    pass: share <= 2 * MAX_READ_SHARE,
    note: `reading at the fixed 2 s / 5 s cadence: ${(naive * 100).toFixed(1)} %; learning nothing (one fixed threshold): 0 %`,
  };
}

function ackRows(label: string, r: AckResult): Row[] {
  const m = `1 ack /kyc link, ${label}`;
  const note = `${r.ms.n} commands at ${r.pacePerSecond}/s${r.allOk ? '' : ', NOT ALL HTTP 200'}`;
  return [
    { measure: m, figure: 'p50', value: r.ms.p50, unit: 'ms', note },
    { measure: m, figure: 'p95', value: r.ms.p95, unit: 'ms', goal: '< 100 ms', pass: r.allOk && below(100)(r.ms.p95) },
    {
      measure: m,
      figure: 'p99',
      value: r.ms.p99,
      unit: 'ms',
      note: r.cashfreeLatencyMs > 0 ? `≤ ${r.maxCashfreeInFlight} Cashfree calls open at once (client pool)` : undefined,
    },
  ];
}

function commandRows(r: CommandResults): Row[] {
  const o = r.linkOverhead;
  return [
    ...ackRows('Cashfree instant', r.ackFast),
    ...ackRows('Cashfree 5 s', r.ackSlowCashfree),
    {
      measure: '2 link overhead',
      figure: 'command → QR upload, minus sim latency, p50',
      value: o.overheadMs.p50,
      unit: 'ms',
      goal: '< 50 ms',
      pass: below(50)(o.overheadMs.p50),
      note: `${o.runs} runs; end-to-end p50 ${o.endToEndMs.p50} ms − ${o.subtractedMs.p50} ms simulated`,
    },
    { measure: '2 link overhead', figure: 'same, p95', value: o.overheadMs.p95, unit: 'ms' },
    { measure: '2 QR PNG (renderQr)', figure: 'p50', value: r.qrPng.ms.p50, unit: 'ms', note: `${r.qrPng.runs} renders, ${r.qrPng.bytes} bytes` },
    { measure: '2 QR PNG (renderQr)', figure: 'p95', value: r.qrPng.ms.p95, unit: 'ms' },
  ];
}

function pollRows(r: ThroughputResults): Row[] {
  const rows: Row[] = [];
  for (const p of r.passes) {
    const m = `3 poll ${p.verifications.toLocaleString('en-US')}, ${p.label}`;
    const cut = p.full ? undefined : `cut at ${PARTIAL_PASS_MS / 1000} s after ${p.polled} polls; full pass extrapolated`;
    rows.push({ measure: m, figure: p.full ? 'full pass' : 'full pass (extrapolated)', value: p.fullPassMs / 1000, unit: 's', note: cut });
    rows.push({ measure: m, figure: 'requests/s', value: p.requestsPerSecond, unit: 'req/s', note: p.concurrency === 1 ? 'c=1 run on 1,000 only (10,000 would be ~520 s)' : undefined });
  }
  for (const [size, ratio] of Object.entries(r.ratioC16VsNaive)) {
    rows.push({ measure: `3 poll ${Number(size).toLocaleString('en-US')}`, figure: 'c=16 vs naive sequential', value: ratio, unit: '×', goal: '≥ 10×', pass: ratio >= 10, note: `sim latency ${r.latencyMs} ms` });
  }
  return rows;
}

function budgetRows(r: BudgetResults): Row[] {
  const m = `4 budget ${r.scale}`;
  return [
    { measure: m, figure: `max requests in any ${r.windowMs / 1000} s window`, value: r.windows.maxInWindow, unit: `/ ${r.max}`, goal: `≤ ${r.max}`, pass: r.windows.maxInWindow <= r.max, note: `${r.requests} requests over ${(r.observedMs / 1000).toFixed(1)} s, ${r.due} due` },
    { measure: m, figure: 'utilisation (mean window / budget)', value: r.utilisation * 100, unit: '%', goal: '≥ 95 %', pass: r.utilisation >= 0.95, note: `fewest in a window: ${r.windows.minInWindow}; ceiling with the 100 ms margin ${((BUDGET.windowMs / (BUDGET.windowMs + 100)) * 100).toFixed(1)} %` },
  ];
}

function changeRows(r: ChangeLatencyResults): Row[] {
  const m = `5 change → thread reply (${r.schedule})`;
  const note = `${r.changes} changes over ${r.verifications} verifications${r.mismatched > 0 ? `, ${r.mismatched} MISMATCHED` : ''}`;
  return [
    { measure: m, figure: 'p50', value: r.ms.p50, unit: 'ms', note },
    { measure: m, figure: 'p95', value: r.ms.p95, unit: 'ms', goal: '< 1,500 ms', pass: r.mismatched === 0 && below(1500)(r.ms.p95), note: `max ${r.ms.max} ms` },
  ];
}

function burstRows(r: TrackBurstResults): Row[] {
  return [
    {
      measure: '7 memory (1,000 /kyc track in 60 s, bot process)',
      figure: 'peak RSS (VmHWM)',
      value: r.peakRssMb,
      unit: 'MB',
      goal: '< 150 MB',
      pass: below(150)(r.peakRssMb),
      note: `idle ${r.idleRssMb.toFixed(0)} MB; ${r.acked} acked, ${r.tracked} tracked within the default budget`,
    },
  ];
}

function memoryRows(r: MemoryResults): Row[] {
  const done = r.passFinished ? 'full pass' : `pass cut at ${(r.passMs / 1000).toFixed(0)} s`;
  return [
    {
      measure: '7 memory (100k tracked, bot process)',
      figure: 'peak RSS (VmHWM)',
      value: r.peakRssMb,
      unit: 'MB',
      goal: '< 150 MB',
      pass: below(150)(r.peakRssMb),
      note: `idle ${r.idleRssMb.toFixed(0)} MB; ${done}: ${r.polled.toLocaleString('en-US')} polled in ${(r.passMs / 1000).toFixed(1)} s at c=${r.concurrency}`,
    },
  ];
}

function outageRows(r: OutageResults): Row[] {
  const m = `9 outage (/vkyc 500 for ${(r.outageMs / 1000).toFixed(0)} s, ${r.verifications} changing)`;
  return [
    { measure: m, figure: 'return → last pending change posted', value: r.recoveryTicks, unit: 'ticks', goal: '≤ 3 ticks', pass: r.recoveryTicks <= 3, note: `${r.recoveryMs} ms at one tick a second` },
    { measure: m, figure: 'status requests during the outage, per tick', value: r.requestsPerTick, unit: 'req/tick', goal: '≈ 1 probe', pass: r.requestsPerTick <= 1.2, note: `${r.requestsDuringOutage} requests; breaker opened ${r.breakerOpened}×${r.faultedAfterEnd > 0 ? `; ${r.faultedAfterEnd} bot request(s) faulted after the end` : ''}` },
  ];
}

function fanoutRows(r: FanoutResults): Row[] {
  const m = `10 fan-out (${r.verifications.toLocaleString('en-US')} changes in ${r.channels} channels, Cashfree ${r.cashfreeLatencyMs} ms, c=${r.concurrency})`;
  return [
    { measure: m, figure: 'every change a reply', value: r.wallMs, unit: 'ms', goal: '≤ 0.2× sequential', pass: r.ratioToSequential <= 0.2, note: `${r.ratioToSequential.toFixed(2)}× the sequential bound (${r.sequentialBoundMs} ms); ideal ${r.idealMs} ms (latency / concurrency); ${r.replies} replies` },
    { measure: m, figure: 'peak RSS of the bot process (VmHWM)', value: Math.round(r.peakRssMb), unit: 'MB', goal: '< 150 MB', pass: r.peakRssMb < 150, note: 'started as npm start starts it' },
  ];
}

await main();
