import type { WebClient } from '@slack/web-api';
import type { Cadence } from './cadence.js';
import type { Logger } from '../log.js';
import { slackFailure } from '../slack/failures.js';
import type { EscalationThread } from '../store/sla.js';
import type { Store } from '../store/store.js';
import { pacedCall, type SlackPacer } from '../tracking/pacing.js';
import { durationWords, slaWords, TURNAROUND_WORDS } from '../text/words.js';
import { escalationMention, storedEscalationTarget } from '../vkyc/channel-settings.js';
import { dueSlaSteps, SLA_STAGE_NAMES, type DueSlaStep, type SlaPolicy } from '../vkyc/sla.js';
import type { Stage } from '../vkyc/turnaround.js';

export interface SlaDeps {
  store: Store;
  slack: WebClient;
  slackPacer: SlackPacer;
  logger: Logger;
  now: () => number;
  /** KYC_SLA and KYC_SLA_ESCALATE_AFTER. */
  sla: SlaPolicy;
  /** Told of each breach step taken, for /metrics. */
  onBreach?: (stage: string, step: 'dm' | 'escalated') => void;
  /** When the check reads the journeys again: it reads every unfinished tracked one, which grows with the board. */
  cadence: Cadence;
}

interface Escalation {
  verificationId: string;
  due: DueSlaStep;
}

/**
 * Looks for stages over their service level. A breach is recorded as a DM for the verification's owner (sent,
 * with quiet hours and the owner's choices, by src/tracking/owner.ts), once per breach; after the escalation delay
 * each of its cards in a channel with an escalation target gets a threaded mention of that target, marked in the
 * store before it is posted, so it is posted once. A failed post clears the mark and is tried again at the next check.
 */
export async function checkSla(deps: SlaDeps): Promise<number> {
  const now = deps.now();
  if (Object.keys(deps.sla.limits).length === 0 || !deps.cadence.due(now)) return 0;
  const escalations: Escalation[] = [];
  for (const candidate of deps.cadence.read(now, () => deps.store.sla.slaCandidates())) {
    for (const due of dueSlaSteps(candidate.record, deps.sla, now)) {
      if (due.step === 'escalation') {
        escalations.push({ verificationId: candidate.record.verificationId, due });
        continue;
      }
      if (candidate.owner === undefined) continue;
      const dm = { verificationId: candidate.record.verificationId, userId: candidate.owner, kind: 'sla' as const, eventKey: due.key };
      if (deps.store.owners.recordDm({ ...dm, status: candidate.status, subStatus: candidate.subStatus, nowMs: now })) deps.onBreach?.(stageLabel(due.stage), 'dm');
    }
  }
  if (escalations.length === 0) return 0;
  const threads = threadsByVerification(deps.store.sla.escalationThreads());
  let posted = 0;
  for (const { verificationId, due } of escalations) {
    for (const thread of threads.get(verificationId) ?? []) {
      if (await escalate(deps, thread, due, now)) posted += 1;
    }
  }
  return posted;
}

function threadsByVerification(threads: readonly EscalationThread[]): Map<string, EscalationThread[]> {
  const byVerification = new Map<string, EscalationThread[]>();
  for (const thread of threads) byVerification.set(thread.verification_id, [...(byVerification.get(thread.verification_id) ?? []), thread]);
  return byVerification;
}

const stageLabel = (stage: Stage) => SLA_STAGE_NAMES[stage];

async function escalate(deps: SlaDeps, thread: EscalationThread, due: DueSlaStep, now: number): Promise<boolean> {
  // Stored by /kyc settings; read back the same way, so only `@here` or a user group is ever mentioned.
  const target = storedEscalationTarget(thread.escalation_target);
  if (target === undefined || !deps.store.sla.claimEscalation(thread.tracking_id, due.key, now)) return false;
  const text = slaWords.escalation(escalationMention(target), thread.verification_id, TURNAROUND_WORDS.stages[due.stage], durationWords(now - due.sinceMs), durationWords(due.limitMs));
  try {
    await pacedCall(deps.slackPacer, { method: 'chat.postMessage', channel: thread.channel_id }, 0, () =>
      deps.slack.chat.postMessage({ channel: thread.channel_id, thread_ts: thread.thread_ts, text, unfurl_links: false }),
    );
    deps.onBreach?.(stageLabel(due.stage), 'escalated');
    return true;
  } catch (error) {
    const failure = slackFailure(error);
    // A thread that is gone will not come back; any other failure, or no slot in the channel's rate now, is retried.
    if (!failure.targetGone) deps.store.sla.releaseEscalation(thread.tracking_id, due.key);
    deps.logger.warn('SLA escalation not posted', { verification_id: thread.verification_id, channel: thread.channel_id, stage: due.stage, slack_error: failure.code });
    return false;
  }
}
