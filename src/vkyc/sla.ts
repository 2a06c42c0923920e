/**
 * Service levels per stage: how long a verification may stay in one turnaround stage (src/vkyc/turnaround.ts
 * defines the stages; this file does not), and which breaches call for a step now. No I/O, no clock of its own.
 */
import { openStages, STAGES, type JourneyRecord, type Stage } from './turnaround.js';

export interface SlaPolicy {
  /** The limit per stage; a stage without one has no service level. */
  limits: Partial<Record<Stage, number>>;
  /** How long after a breach the channel's escalation target is mentioned; undefined: the stage's own limit again. */
  escalateAfterMs: number | undefined;
}

export const NO_SLA: SlaPolicy = { limits: {}, escalateAfterMs: undefined };

/** The names KYC_SLA gives the stages, in the order of the turnaround figures. */
export const SLA_STAGE_NAMES: Record<Stage, string> = {
  link: 'link',
  preCall: 'pre-call',
  queue: 'queue',
  call: 'call',
  review: 'review',
  endToEnd: 'end-to-end',
};

const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "90s", "15m", "4h", "2d" in milliseconds; undefined for anything else (a bare number has no unit, so it is refused). */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d{1,6})\s*([smhd])$/i.exec(text.trim());
  if (match === null) return undefined;
  const ms = Number(match[1]) * (UNIT_MS[(match[2] ?? '').toLowerCase()] ?? 0);
  return ms > 0 ? ms : undefined;
}

function stageNamed(name: string): Stage | undefined {
  const wanted = name.trim().toLowerCase().replace(/[-_ ]/g, '');
  return STAGES.find((stage) => stage.toLowerCase() === wanted || SLA_STAGE_NAMES[stage].replace(/-/g, '') === wanted);
}

const VALID_STAGES = STAGES.map((stage) => SLA_STAGE_NAMES[stage]).join(', ');

/**
 * KYC_SLA, such as `queue=15m,call=45m,review=4h`: comma-separated `stage=duration`. Empty: no service levels.
 * A mistake is answered in words naming the valid stages and units.
 */
export function parseSlaLimits(text: string): { limits: Partial<Record<Stage, number>> } | { error: string } {
  const limits: Partial<Record<Stage, number>> = {};
  for (const item of text.split(',').map((part) => part.trim()).filter((part) => part !== '')) {
    const [name = '', duration, extra] = item.split('=');
    const stage = stageNamed(name);
    if (stage === undefined || duration === undefined || extra !== undefined) {
      return { error: `has "${item}": write stage=duration, where the stage is one of ${VALID_STAGES}` };
    }
    if (limits[stage] !== undefined) return { error: `names the stage ${SLA_STAGE_NAMES[stage]} twice` };
    const ms = parseDuration(duration);
    if (ms === undefined) return { error: `has "${item}": the duration must be a whole number with s, m, h or d, such as 15m or 4h` };
    limits[stage] = ms;
  }
  return { limits };
}

export type SlaStep = 'dm' | 'escalation';

export interface DueSlaStep {
  stage: Stage;
  step: SlaStep;
  /** When the stage started, as `openStages` dates it. */
  sinceMs: number;
  limitMs: number;
  /** Names the breach: the stage and when it started, so each breach gets each step once. */
  key: string;
}

/** The key of one breach: a stage entered again later (a new start) is a new breach. */
export function breachKey(stage: Stage, sinceMs: number): string {
  return `${stage}@${sinceMs}`;
}

/** The stage a breach key names, and when that stage started; undefined for a key this file did not make. */
export function parseBreachKey(key: string): { stage: Stage; sinceMs: number } | undefined {
  const [name = '', since = ''] = key.split('@');
  const stage = STAGES.find((candidate) => candidate === name);
  const sinceMs = Number(since);
  return stage === undefined || since === '' || !Number.isInteger(sinceMs) ? undefined : { stage, sinceMs };
}

/**
 * The steps a verification that has not ended is due for now: each stage it is in that has lasted longer than
 * its limit is a breach, due for the owner's DM at once and for the escalation once it has lasted its limit plus
 * the escalation delay. Whether a step was taken already is the caller's record (once per breach); a stage
 * that has ended is no longer in breach, so nothing is due for it.
 */
export function dueSlaSteps(record: JourneyRecord, policy: SlaPolicy, nowMs: number): DueSlaStep[] {
  const due: DueSlaStep[] = [];
  for (const { stage, sinceMs } of openStages(record)) {
    const limitMs = policy.limits[stage];
    if (limitMs === undefined) continue;
    const lasted = nowMs - sinceMs;
    if (lasted <= limitMs) continue;
    const key = breachKey(stage, sinceMs);
    due.push({ stage, step: 'dm', sinceMs, limitMs, key });
    if (lasted > limitMs + (policy.escalateAfterMs ?? limitMs)) due.push({ stage, step: 'escalation', sinceMs, limitMs, key });
  }
  return due;
}
