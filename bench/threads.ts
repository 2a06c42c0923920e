import type { WebClient } from '@slack/web-api';
import type { VkycState } from '../src/cashfree/schemas.js';
import type { Store } from '../src/store/store.js';
import type { Sims } from './sims.js';

/**
 * A tracked verification as a bot that has run for a while leaves it: first
 * observed at `createdAt`, tracked with a real parent message in the Slack
 * simulator (so replies can thread under it), and last polled at `lastPolledAt`,
 * which lets the store schedule its next poll as the bot would have.
 */
export async function seedTrackedThread(
  store: Store,
  slack: WebClient,
  channel: string,
  state: VkycState,
  times: { createdAt: number; lastPolledAt: number },
): Promise<string> {
  const parent = await slack.chat.postMessage({ channel, text: `Video KYC ${state.verificationId}` });
  if (parent.ts === undefined) throw new Error('bench: the Slack simulator returned no ts');
  store.recordObservation({ state, nowMs: times.createdAt, finalReason: undefined });
  const claim = store.startTracking({ verificationId: state.verificationId, teamId: 'T0SIM', channelId: channel, trackedBy: 'U0BENCH', nowMs: times.createdAt });
  if (!claim.created) throw new Error(`bench: ${state.verificationId} is already tracked`);
  store.setParent(claim.id, parent.ts, undefined);
  store.recordObservation({ state, nowMs: times.lastPolledAt, finalReason: undefined });
  return parent.ts;
}

export interface ThreadReply {
  at: number;
  text: string;
}

/** Replies the bot posted, by parent ts, oldest first (failed calls left out). */
export function repliesByThread(sims: Sims, channel: string): Map<string, ThreadReply[]> {
  const byThread = new Map<string, ThreadReply[]>();
  for (const call of sims.slack.calls) {
    if (call.method !== 'chat.postMessage' || call.failed === true || call.params['channel'] !== channel) continue;
    const threadTs = call.params['thread_ts'];
    if (typeof threadTs !== 'string') continue;
    const list = byThread.get(threadTs) ?? [];
    list.push({ at: call.at, text: String(call.params['text'] ?? '') });
    byThread.set(threadTs, list);
  }
  return byThread;
}

/** How a reply names a state: the codes as statusLine in src/slack/blocks.ts writes them. */
export function namesState(text: string, status: string, subStatus: string): boolean {
  return text.includes(`\`${status}\` / \`${subStatus}\``);
}
