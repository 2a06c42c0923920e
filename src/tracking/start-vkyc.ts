import type { WebClient } from '@slack/web-api';
import type { CashfreeClient } from '../cashfree/client.js';
import type { VkycState } from '../cashfree/schemas.js';
import type { Logger } from '../log.js';
import type { Store } from '../store/store.js';
import { say } from '../text/words.js';
import type { StartRequest } from '../vkyc/start-form.js';
import { openTrackingCard } from './card.js';
import { describeFollowUpFailure, sendLinkPrivately } from './link-dm.js';
import { finalReasonOf, observe } from './observe.js';
import { claimOwnership } from './owner.js';
import { recordStartedPhone, type PhoneDeps } from './phones.js';
import { createOrReuseUser } from './vkyc-user.js';
import type { SlackPacer } from './pacing.js';

export interface StartDeps extends PhoneDeps {
  store: Store;
  cashfree: Pick<CashfreeClient, 'createVkycUser' | 'initiateVkyc'>;
  slackPacer: SlackPacer;
  logger: Logger;
  now: () => number;
  renderQr: (text: string) => Promise<Buffer>;
  terminalStatuses: readonly string[];
}

/** Who starts the Video KYC (the customer's link goes to them privately), and the channel that follows it. */
export interface Starter {
  userId: string;
  teamId: string | undefined;
  channelId: string;
}

export type StartOutcome =
  /** Cashfree took the request but rejected the verification at once (a low balance, for one). */
  | { started: false; state: VkycState }
  /** Started: `notes` says, in the agent's words, what became of the link and the card. */
  | { started: true; state: VkycState; notes: string[] };

/**
 * Starts a Video KYC for a customer, as every surface does it (the `/kyc vkyc` form, the workflow step):
 * POST /user (or the customer Cashfree already knows), POST /vkyc, then the customer's link and its QR
 * code to the starter's DM and the tracking card in the channel. Cashfree's refusals are thrown as
 * CashfreeError for the surface to put in its own words; Slack failures after the start become notes.
 */
export async function startVideoKyc(deps: StartDeps, slack: WebClient, who: Starter, request: StartRequest): Promise<StartOutcome> {
  const user = await createOrReuseUser(deps.cashfree, { phone: request.phone, name: request.name, email: request.email });
  const started = await deps.cashfree.initiateVkyc({
    verificationId: request.verificationId,
    userReferenceId: user.userReferenceId,
    userTemplate: request.userTemplate,
    agentTemplate: request.agentTemplate,
    notificationTypes: request.notify,
  });
  const { state } = started;
  const now = deps.now();
  if (state.status === 'REJECTED' || finalReasonOf(deps, state, now) !== undefined) return { started: false, state };
  deps.store.audit({ actor: who.userId, teamId: who.teamId, channelId: who.channelId, action: 'vkyc_started', subject: state.verificationId }, now);
  observe(deps, state, now, who.userId);
  claimOwnership(deps.store, { verificationId: state.verificationId, userId: who.userId, how: 'started', nowMs: now });
  // Cashfree's later answers carry no template: channel rules (`template:`, `by:`) and turnaround read it from here.
  deps.store.channels.recordOrigin({
    verificationId: state.verificationId,
    startedBy: who.userId,
    userTemplate: request.userTemplate,
    agentTemplate: request.agentTemplate,
    atMs: now,
  });
  recordStartedPhone(deps, { phone: request.phone, verificationId: state.verificationId, by: who.userId, channelId: who.channelId });
  const notes = [await sendLinkPrivately(deps, { slack, ...who }, state.verificationId, started.link)];
  notes.push(...(await followInChannel(deps, slack, who, state)));
  return { started: true, state, notes };
}

/** The usual tracking card in the starter's channel; the poller follows it in the thread. */
async function followInChannel(deps: StartDeps, slack: WebClient, who: Starter, state: VkycState): Promise<string[]> {
  try {
    const card = await openTrackingCard(deps, slack, { state, channelId: who.channelId, teamId: who.teamId, trackedBy: who.userId });
    if (!card.created) return [say.vkycAlreadyTracked];
    deps.store.audit({ actor: who.userId, teamId: who.teamId, channelId: who.channelId, action: 'tracking_started', subject: state.verificationId }, deps.now());
    return [];
  } catch (error) {
    return [say.vkycNotTracked(state.verificationId, describeFollowUpFailure(deps, who, error))];
  }
}
