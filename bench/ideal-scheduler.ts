import { dwellCdf, type Dwell } from './dwell.js';

/**
 * The ideal online scheduler the journey measure compares the bot with: a pure
 * simulation on the run's own timeline, no I/O. It knows the distributions the
 * mix generator draws from, never the draws. At each request slot of the same
 * budget it polls, first, a verification whose link expiry or booked call time
 * has just passed (it knows both exactly), else the one most likely to have
 * changed since it was last polled, given its known state and the time since
 * the poll that showed that state: every state counts the same. A poll reads
 * the state one request's latency after its slot, as the simulator does.
 */

/** What an answer showing a state tells a scheduler that knows the generator. */
export type StateKnowledge =
  /** It leaves the state after a draw from `dwell` (counted from the poll that showed it). */
  | { kind: 'dwell'; dwell: Dwell }
  /** A booked call: it leaves the state `join` after the booked time. */
  | { kind: 'meeting'; meetingAtMs: number; join: Dwell }
  | { kind: 'final' };

/** Times in ms from the start of the run. */
export interface IdealSubject {
  /** Leaving the state it has at the start: with probability pMove, at originMs plus a draw from dwell. */
  initial: { pMove: number; originMs: number; dwell: Dwell };
  /** Its state at the start was confirmed then. */
  lastPolledAtMs: number;
  /** The link expires then; such a link is never opened in these mixes. */
  expiresAtMs: number | undefined;
  /** The states it goes through, with when each began: hidden until a poll shows it. */
  states: readonly { atMs: number; knowledge: StateKnowledge }[];
}

export interface IdealRun {
  /** The budget's spacing: one request per slot (60.1 s / CASHFREE_MAX_RPM, as the round-robin poller). */
  slotMs: number;
  latencyMs: number;
  /** No slot at or after this. */
  endMs: number;
}

export interface IdealResult {
  /** Per subject, per state: when a poll first showed it, or undefined (missed). */
  seenAtMs: (number | undefined)[][];
  /** Per subject: when a poll first showed its link expired. */
  expirySeenAtMs: (number | undefined)[];
  polls: number;
}

interface Belief {
  /** Leaves its known state with probability pMove, at originMs plus a draw from dwell. */
  pMove: number;
  originMs: number;
  dwell: Dwell;
  /** A time it must be polled right after (expiry, booked call). */
  deadlineMs: number | undefined;
}

interface Known {
  state: number;
  /** Read time of the last poll (its known state was true then). */
  confirmedAtMs: number;
  belief: Belief | undefined;
  inFlight: boolean;
}

export function simulateIdeal(subjects: readonly IdealSubject[], run: IdealRun): IdealResult {
  const seenAtMs = subjects.map((s) => s.states.map((): number | undefined => undefined));
  const expirySeenAtMs = subjects.map((): number | undefined => undefined);
  const known: Known[] = subjects.map((s) => ({
    state: -1,
    confirmedAtMs: s.lastPolledAtMs,
    belief: { ...s.initial, deadlineMs: s.expiresAtMs },
    inFlight: false,
  }));
  const pending: { index: number; readAtMs: number }[] = [];
  let polls = 0;

  const answer = (index: number, readAtMs: number) => {
    const subject = subjects[index];
    const k = known[index];
    if (subject === undefined || k === undefined) return;
    k.inFlight = false;
    k.confirmedAtMs = readAtMs;
    const state = stateAt(subject, readAtMs);
    if (state === -1) {
      if (subject.expiresAtMs !== undefined && subject.expiresAtMs <= readAtMs) {
        expirySeenAtMs[index] = readAtMs;
        k.belief = undefined;
      }
      return;
    }
    if (state === k.state) return;
    k.state = state;
    const seen = seenAtMs[index];
    if (seen !== undefined) seen[state] = readAtMs;
    k.belief = beliefFrom(subject.states[state]?.knowledge ?? { kind: 'final' }, readAtMs);
  };

  for (let slot = 0; slot * run.slotMs < run.endMs; slot += 1) {
    const nowMs = slot * run.slotMs;
    for (const p of pending.splice(0).sort((a, b) => a.readAtMs - b.readAtMs)) {
      if (p.readAtMs <= nowMs) answer(p.index, p.readAtMs);
      else pending.push(p);
    }
    const readAtMs = nowMs + run.latencyMs;
    const index = pick(known, readAtMs);
    if (index === undefined) continue;
    const k = known[index];
    if (k !== undefined) k.inFlight = true;
    pending.push({ index, readAtMs });
    polls += 1;
  }
  for (const p of pending.sort((a, b) => a.readAtMs - b.readAtMs)) answer(p.index, p.readAtMs);
  return { seenAtMs, expirySeenAtMs, polls };
}

/** Index of the state the subject is in at `atMs`; -1 before its first. */
function stateAt(subject: IdealSubject, atMs: number): number {
  let state = -1;
  for (const [i, s] of subject.states.entries()) if (s.atMs <= atMs) state = i;
  return state;
}

function beliefFrom(knowledge: StateKnowledge, seenAtMs: number): Belief | undefined {
  if (knowledge.kind === 'final') return undefined;
  if (knowledge.kind === 'meeting') return { pMove: 1, originMs: knowledge.meetingAtMs, dwell: knowledge.join, deadlineMs: knowledge.meetingAtMs };
  return { pMove: 1, originMs: seenAtMs, dwell: knowledge.dwell, deadlineMs: undefined };
}

/** A deadline just passed (earliest first), else the highest chance of a change; ties to the longest unpolled. */
function pick(known: readonly Known[], readAtMs: number): number | undefined {
  let deadline: { index: number; at: number } | undefined;
  let best: { index: number; p: number; confirmedAtMs: number } | undefined;
  for (const [index, k] of known.entries()) {
    if (k.inFlight || k.belief === undefined) continue;
    const due = k.belief.deadlineMs;
    if (due !== undefined && k.confirmedAtMs < due && due <= readAtMs && (deadline === undefined || due < deadline.at)) {
      deadline = { index, at: due };
    }
    const p = changeChance(k.belief, k.confirmedAtMs, readAtMs);
    if (p > 0 && (best === undefined || p > best.p || (p === best.p && k.confirmedAtMs < best.confirmedAtMs))) {
      best = { index, p, confirmedAtMs: k.confirmedAtMs };
    }
  }
  return deadline?.index ?? best?.index;
}

/** P(it left its known state by `toMs` | it had not at `fromMs`). */
export function changeChance(belief: Pick<Belief, 'pMove' | 'originMs' | 'dwell'>, fromMs: number, toMs: number): number {
  const left = (at: number) => belief.pMove * dwellCdf(belief.dwell, at - belief.originMs);
  const before = left(fromMs);
  if (1 - before < 1e-12) return 1;
  return (left(toMs) - before) / (1 - before);
}
