import type { WebClient } from '@slack/web-api';
import type { Logger } from '../log.js';
import { isSlackApiError, slackFailure } from '../slack/failures.js';
import { describeSlackError, say } from '../text/words.js';
import { sendFilePrivately } from './private-file.js';

export interface LinkDmDeps {
  logger: Logger;
  renderQr: (text: string) => Promise<Buffer>;
}

/** A Slack failure in the agent's words; anything else is logged and said as an internal error. */
export function describeFollowUpFailure(deps: Pick<LinkDmDeps, 'logger'>, who: { userId: string; channelId: string }, error: unknown): string {
  if (isSlackApiError(error)) return describeSlackError(slackFailure(error).code);
  deps.logger.error('video kyc follow-up failed', { user: who.userId, channel: who.channelId, error });
  return say.internalError;
}

/**
 * The customer's link and its QR code in the agent's DM with the bot (`/kyc vkyc`, Start again): a file
 * cannot be ephemeral, and the link must never reach a channel. Returns what to tell the agent.
 */
export async function sendLinkPrivately(
  deps: LinkDmDeps,
  to: { slack: WebClient; userId: string; channelId: string },
  verificationId: string,
  link: string | undefined,
): Promise<string> {
  if (link === undefined) return say.vkycNoLink;
  try {
    await sendFilePrivately(to.slack, to.userId, {
      bytes: await deps.renderQr(link),
      filename: `vkyc-${verificationId}.png`.slice(0, 120),
      title: `Video KYC QR code: ${verificationId}`.slice(0, 250),
      altText: `QR code that opens the customer's Video KYC link for ${verificationId}`.slice(0, 1000),
      comment: say.vkycLinkComment(verificationId, link),
    });
    return say.vkycLinkSent;
  } catch (error) {
    return say.vkycLinkNotSent(describeFollowUpFailure(deps, to, error));
  }
}
