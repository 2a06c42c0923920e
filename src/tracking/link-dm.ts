import type { WebClient } from '@slack/web-api';
import type { Logger } from '../log.js';
import { isSlackApiError, slackFailure } from '../slack/failures.js';
import { describeSlackError, say } from '../text/words.js';

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
    const opened = await to.slack.conversations.open({ users: to.userId });
    const dm = opened.channel?.id;
    if (dm === undefined) throw new Error('Slack did not return the DM channel');
    await to.slack.files.uploadV2({
      channel_id: dm,
      file: await deps.renderQr(link),
      filename: `vkyc-${verificationId}.png`.slice(0, 120),
      title: `Video KYC QR code: ${verificationId}`.slice(0, 250),
      alt_text: `QR code that opens the customer's Video KYC link for ${verificationId}`.slice(0, 1000),
      initial_comment: say.vkycLinkComment(verificationId, link),
    });
    return say.vkycLinkSent;
  } catch (error) {
    return say.vkycLinkNotSent(describeFollowUpFailure(deps, to, error));
  }
}
