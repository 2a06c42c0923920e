import type { WebClient } from '@slack/web-api';
import type { CashfreeClient } from '../cashfree/client.js';
import type { Logger } from '../log.js';
import type { RestartRow, Store } from '../store/store.js';
import { say } from '../text/words.js';
import { restartReason } from '../vkyc/restart.js';
import { generateVerificationId } from '../vkyc/start-form.js';
import { threadOf, type NotificationType, type TrackingRow, type VkycState } from '../vkyc/types.js';
import { openTrackingCard } from './card.js';
import { refreshParent } from './deliver.js';
import { describeFollowUpFailure, sendLinkPrivately } from './link-dm.js';
import { finalReasonOf, observe } from './observe.js';
import type { SlackPacer } from './pacing.js';

export interface RestartDeps {
  store: Store;
  cashfree: Pick<CashfreeClient, 'initiateVkyc'>;
  logger: Logger;
  now: () => number;
  renderQr: (text: string) => Promise<Buffer>;
  slackPacer: SlackPacer;
  terminalStatuses: readonly string[];
  templates: { userTemplate: string; agentTemplate: string };
  /** Random characters for the new verification id. */
  randomId: () => string;
}

/** Whether a card may be started again now, and what it would restart. */
export type RestartCheck =
  | { ok: true; tracking: TrackingRow; state: VkycState & { userId: string } }
  | { ok: false; words: string; code: 'not_here' | 'not_eligible' | 'running' | 'done' };

export type RestartOutcome = { started: true; to: string; words: string } | { started: false; words: string; code: string };

/** The one check a click and a confirmation share: a card here, a state that qualifies, no restart running or done. */
export function checkRestart(deps: Pick<RestartDeps, 'store' | 'now'>, verificationId: string, channelId: string): RestartCheck {
  const tracking = deps.store.latestTracking(verificationId, channelId);
  const state = deps.store.verificationState(verificationId);
  if (tracking === undefined || state === undefined) return { ok: false, words: say.startAgain.notHere(verificationId), code: 'not_here' };
  const existing = deps.store.restartOf(verificationId);
  if (existing !== undefined) return alreadyRestarted(existing);
  const { userId } = state;
  if (restartReason(state, deps.now()) === undefined || userId === undefined) {
    return { ok: false, words: say.startAgain.notEligible(verificationId), code: 'not_eligible' };
  }
  return { ok: true, tracking, state: { ...state, userId } };
}

function alreadyRestarted(existing: RestartRow): RestartCheck & { ok: false } {
  const w = say.startAgain;
  return existing.outcome === 'running'
    ? { ok: false, words: w.running(existing.from_verification_id, existing.to_verification_id, existing.started_by), code: 'running' }
    : { ok: false, words: w.done(existing.from_verification_id, existing.to_verification_id, existing.to_permalink), code: 'done' };
}

/**
 * Start again: POST /vkyc for the same Cashfree user with a new verification id, claimed first in the
 * store (at most one running or done restart per verification, whoever clicks, in whichever process).
 * The new verification's card and replies go in the old card's thread; the new link goes to the agent
 * by DM; the old card is updated to say where it went. Cashfree's failures propagate after the claim is
 * given back, so another click can try again.
 */
export async function startAgain(
  deps: RestartDeps,
  slack: WebClient,
  request: { verificationId: string; channelId: string; teamId: string | undefined; userId: string; notify: readonly NotificationType[] },
): Promise<RestartOutcome> {
  const check = checkRestart(deps, request.verificationId, request.channelId);
  if (!check.ok) return { started: false, words: check.words, code: check.code };
  const { tracking, state } = check;
  const thread = threadOf(tracking) ?? '';
  const to = generateVerificationId(deps.now(), deps.randomId());
  const claim = deps.store.claimRestart({ from: state.verificationId, to, channel: request.channelId, thread, by: request.userId, at: deps.now() });
  if (!claim.claimed) {
    const refused = alreadyRestarted(claim.existing);
    return { started: false, words: refused.words, code: refused.code };
  }
  let started: Awaited<ReturnType<CashfreeClient['initiateVkyc']>>;
  try {
    started = await deps.cashfree.initiateVkyc({ verificationId: to, userId: state.userId, ...deps.templates, notificationTypes: request.notify });
  } catch (error) {
    deps.store.finishRestart(claim.id, 'failed', undefined, deps.now());
    throw error;
  }
  const fresh = started.state;
  if (fresh.status === 'REJECTED' || finalReasonOf(deps, fresh, deps.now()) !== undefined) {
    deps.store.finishRestart(claim.id, 'failed', undefined, deps.now());
    return { started: false, words: say.vkycRejected(fresh.verificationId, fresh.status, fresh.subStatus), code: fresh.subStatus || fresh.status };
  }
  const who = { actor: request.userId, teamId: request.teamId, channelId: request.channelId };
  deps.store.audit({ ...who, action: 'vkyc_restarted', subject: fresh.verificationId, detail: `from ${state.verificationId}` }, deps.now());
  observe(deps, fresh);
  const lines = [say.startAgain.started(state.verificationId, fresh.verificationId)];
  lines.push(await sendLinkPrivately(deps, { slack, userId: request.userId, channelId: request.channelId }, fresh.verificationId, started.link));
  let permalink: string | undefined;
  try {
    const card = await openTrackingCard(deps, slack, { state: fresh, channelId: request.channelId, teamId: request.teamId, trackedBy: request.userId, threadTs: thread });
    if (card.created) {
      permalink = card.permalink;
      deps.store.audit({ ...who, action: 'tracking_started', subject: fresh.verificationId }, deps.now());
    }
  } catch (error) {
    lines.push(say.startAgain.notFollowed(fresh.verificationId, describeFollowUpFailure(deps, { userId: request.userId, channelId: request.channelId }, error)));
  }
  deps.store.finishRestart(claim.id, 'started', permalink, deps.now());
  // Marked first, so an update held back or failed now is retried by the delivery's stale-card pass.
  deps.store.parentStale(tracking.id);
  await refreshParent({ ...deps, slack }, tracking);
  return { started: true, to: fresh.verificationId, words: lines.join('\n\n') };
}
