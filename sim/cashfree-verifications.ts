import { createHash } from 'node:crypto';
import { STANDARD_JOURNEY, type VkycStep } from './cashfree-journeys.js';

export interface NewVerification {
  verification_id: string;
  /** Assigned by the simulator when omitted. */
  reference_id?: number;
  user_id?: string;
  /** ISO datetime; defaults to the day 7 days ahead, written as Cashfree writes a day in GET /vkyc: midnight UTC. */
  link_expiry?: string;
  /** Defaults to STANDARD_JOURNEY. */
  steps?: readonly VkycStep[];
  /** Move to the next step after every n successful GETs; 0 (default) advances only on demand. */
  advanceEveryPolls?: number;
}

/** The full body of a GET /vkyc answer. */
export interface VkycStatusBody {
  verification_id: string;
  reference_id: number;
  user_reference_id: number;
  user_id: string;
  status: string;
  sub_status: string;
  vkyc_link: string;
  link_expiry: string;
  recording_link: string | null;
  meeting_schedule: string | null;
  agent_remarks: string | null;
  auditor_remarks: string | null;
}

export type VkycStatePatch = Partial<VkycStep> & { link_expiry?: string };

export interface Verification {
  body: VkycStatusBody;
  steps: readonly VkycStep[];
  stepIndex: number;
  advanceEveryPolls: number;
  polls: number;
}

const WEEK_MS = 7 * 24 * 60 * 60 * 1000;

export function shortCode(seed: string): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const digest = createHash('sha256').update(seed).digest();
  return Array.from(digest.subarray(0, 10), (byte) => alphabet[byte % alphabet.length]).join('');
}

function orKeep<T>(next: T | undefined, current: T): T {
  return next === undefined ? current : next;
}

function applyPatch(body: VkycStatusBody, patch: VkycStatePatch): VkycStatusBody {
  return {
    ...body,
    status: orKeep(patch.status, body.status),
    sub_status: orKeep(patch.sub_status, body.sub_status),
    link_expiry: orKeep(patch.link_expiry, body.link_expiry),
    meeting_schedule: orKeep(patch.meeting_schedule, body.meeting_schedule),
    recording_link: orKeep(patch.recording_link, body.recording_link),
    agent_remarks: orKeep(patch.agent_remarks, body.agent_remarks),
    auditor_remarks: orKeep(patch.auditor_remarks, body.auditor_remarks),
  };
}

/** onChange: told of every change of status or sub-status, wherever it comes from (advance, setState, a poll). */
export function createVerificationStore(onChange: (state: VkycStatusBody) => void = () => undefined) {
  const byId = new Map<string, Verification>();
  let nextReferenceId = 10_001;
  let nextUserReferenceId = 20_001;

  function get(verificationId: string): Verification {
    const found = byId.get(verificationId);
    if (!found) throw new Error(`cashfree sim: unknown verification ${verificationId}`);
    return found;
  }

  function stepAt(v: Verification): VkycStep {
    const step = v.steps[v.stepIndex];
    if (!step) throw new Error(`cashfree sim: ${v.body.verification_id} has no step ${v.stepIndex}`);
    return step;
  }

  function add(input: NewVerification): number {
    if (byId.has(input.verification_id)) throw new Error(`cashfree sim: ${input.verification_id} already exists`);
    const steps = input.steps ?? STANDARD_JOURNEY;
    const first = steps[0];
    if (!first) throw new Error('cashfree sim: a journey needs at least one step');
    const reference_id = input.reference_id ?? nextReferenceId++;
    const blank: VkycStatusBody = {
      verification_id: input.verification_id,
      reference_id,
      user_reference_id: nextUserReferenceId++,
      user_id: input.user_id ?? `user_${input.verification_id}`,
      status: '',
      sub_status: '',
      vkyc_link: `https://forms.cashfree.com/verification/${shortCode(input.verification_id)}`,
      link_expiry: input.link_expiry ?? `${new Date(Date.now() + WEEK_MS).toISOString().slice(0, 10)}T00:00:00.000Z`,
      recording_link: null,
      meeting_schedule: null,
      agent_remarks: null,
      auditor_remarks: null,
    };
    byId.set(input.verification_id, {
      body: applyPatch(blank, first),
      steps,
      stepIndex: 0,
      advanceEveryPolls: input.advanceEveryPolls ?? 0,
      polls: 0,
    });
    return reference_id;
  }

  function advance(verificationId: string): VkycStep {
    const v = get(verificationId);
    if (v.stepIndex + 1 < v.steps.length) {
      v.stepIndex += 1;
      change(v, stepAt(v));
    }
    return stepAt(v);
  }

  function setState(verificationId: string, patch: VkycStatePatch): VkycStatusBody {
    const v = get(verificationId);
    change(v, patch);
    return { ...v.body };
  }

  function change(v: Verification, patch: VkycStatePatch): void {
    const before = v.body;
    v.body = applyPatch(v.body, patch);
    if (before.status !== v.body.status || before.sub_status !== v.body.sub_status) onChange({ ...v.body });
  }

  function find(by: { verificationId?: string; referenceId?: number }): Verification | undefined {
    if (by.verificationId !== undefined) return byId.get(by.verificationId);
    return [...byId.values()].find((v) => v.body.reference_id === by.referenceId);
  }

  /** Answers a successful GET: the state before this poll, then counts the poll and maybe advances. */
  function poll(v: Verification): VkycStatusBody {
    const answer = { ...v.body };
    v.polls += 1;
    if (v.advanceEveryPolls > 0 && v.polls % v.advanceEveryPolls === 0) advance(v.body.verification_id);
    return answer;
  }

  return {
    add,
    advance,
    setState,
    find,
    poll,
    state: (verificationId: string): VkycStatusBody => ({ ...get(verificationId).body }),
    pollCount: (verificationId: string): number => get(verificationId).polls,
  };
}

export type VerificationStore = ReturnType<typeof createVerificationStore>;
