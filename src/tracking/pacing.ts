import { SlackHeldBack, slackFailure } from '../slack/failures.js';
import { afterCall, afterRateLimited, freshPace, isAtRest, msUntilSlot, type Pace, type PaceRule } from '../vkyc/pacing.js';

/**
 * Slack's posting limits, kept by the bot itself: every post to a channel goes through that
 * channel's lane, every card update and Home tab through its method's lane. A lane lets a small
 * burst through, then paces calls under Slack's rate; a 429 pauses the lane for exactly Retry-After,
 * for every caller (every thread in the channel), while other lanes keep flowing. One pacer per
 * process, shared by the poller, the webhook drain and the listeners, and kept across ticks.
 */
export type SlackLane = { method: 'chat.postMessage'; channel: string } | { method: 'chat.update' } | { method: 'views.publish' };
export type PacedMethod = SlackLane['method'];
export type SlackPaceRules = Record<PacedMethod, PaceRule>;

/**
 * Slack: chat.postMessage allows about one message per second per channel, with short bursts;
 * chat.update is Tier 3 (50+ a minute per workspace). views.publish is paced like Tier 3 too, on
 * the safe side. Each a little under Slack's figure, so network jitter cannot squeeze one call over.
 */
export const SLACK_PACE: SlackPaceRules = {
  'chat.postMessage': { intervalMs: 1_100, burst: 3 },
  'chat.update': { intervalMs: 1_250, burst: 5 },
  'views.publish': { intervalMs: 1_250, burst: 5 },
};

export interface SlackPacer {
  /** Takes a slot on the lane now and returns 0, or returns how many ms until one is free (nothing taken). */
  tryTake(lane: SlackLane): number;
  /** Waits up to `maxWaitMs` for a slot and takes it (0), or returns how many ms until one is free when that is later. */
  take(lane: SlackLane, maxWaitMs: number): Promise<number>;
  /** A call on the lane failed: when Slack said 429, nobody calls on it again before Retry-After ends. */
  failed(lane: SlackLane, error: unknown): void;
}

export interface SlackPacerOptions {
  /** Slack's clock is the wall clock, whatever clock the bot's tests move by hand. */
  now?: () => number;
  rules?: Partial<SlackPaceRules>;
  /** Told of each 429 Slack answered. */
  onRateLimited?: (method: PacedMethod) => void;
  /** Told each time a caller is held back or made to wait for a slot. */
  onPaced?: (method: PacedMethod) => void;
}

/** Lanes kept before those at rest are forgotten (a lane at rest is the same as a new one). */
const LANES_KEPT = 256;

export function createSlackPacer(options: SlackPacerOptions = {}): SlackPacer {
  const now = options.now ?? Date.now;
  const rules: SlackPaceRules = { ...SLACK_PACE, ...options.rules };
  const lanes = new Map<string, { rule: PaceRule; pace: Pace }>();
  const keyOf = (lane: SlackLane) => (lane.method === 'chat.postMessage' ? `${lane.method} ${lane.channel}` : lane.method);
  const paceOf = (lane: SlackLane, at: number) => lanes.get(keyOf(lane))?.pace ?? freshPace(rules[lane.method], at);
  const keep = (lane: SlackLane, pace: Pace, at: number) => {
    if (lanes.size >= LANES_KEPT) {
      for (const [key, kept] of lanes) if (isAtRest(kept.pace, kept.rule, at)) lanes.delete(key);
    }
    lanes.set(keyOf(lane), { rule: rules[lane.method], pace });
  };
  const tryTakeAt = (lane: SlackLane, at: number): number => {
    const rule = rules[lane.method];
    const pace = paceOf(lane, at);
    const wait = msUntilSlot(pace, rule, at);
    if (wait === 0) keep(lane, afterCall(pace, rule, at), at);
    return wait;
  };

  return {
    tryTake(lane) {
      const wait = tryTakeAt(lane, now());
      if (wait > 0) options.onPaced?.(lane.method);
      return wait;
    },
    async take(lane, maxWaitMs) {
      const deadline = now() + maxWaitMs;
      for (let waited = false; ; waited = true) {
        const at = now();
        const wait = tryTakeAt(lane, at);
        if (wait === 0) return 0;
        if (!waited) options.onPaced?.(lane.method);
        if (at + wait > deadline) return wait;
        await sleep(wait);
      }
    },
    failed(lane, error) {
      if (error instanceof SlackHeldBack) return;
      const { code, retryAfterMs } = slackFailure(error);
      if (code !== 'ratelimited') return;
      options.onRateLimited?.(lane.method);
      const at = now();
      keep(lane, afterRateLimited(paceOf(lane, at), at, retryAfterMs ?? 1_000), at);
    },
  };
}

/**
 * One Slack call in its lane: waits up to `maxWaitMs` for a slot, and a 429 pauses the lane. When no
 * slot comes in time Slack is not asked, and SlackHeldBack (a rate limit to every caller) is thrown.
 */
export async function pacedCall<T>(pacer: SlackPacer, lane: SlackLane, maxWaitMs: number, call: () => Promise<T>): Promise<T> {
  const wait = await pacer.take(lane, maxWaitMs);
  if (wait > 0) throw new SlackHeldBack(lane.method, wait);
  try {
    return await call();
  } catch (error) {
    pacer.failed(lane, error);
    throw error;
  }
}

/** How long an agent's post (a card, a note in a thread, a Home tab) may wait for its lane. */
export const INTERACTIVE_SLACK_WAIT_MS = 5_000;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
