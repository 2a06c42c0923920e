import type { WebClient } from '@slack/web-api';

/** The bot's direct-message channel with a user (conversations.open, which needs im:write). */
export async function openDirectMessage(slack: WebClient, userId: string): Promise<string> {
  const opened = await slack.conversations.open({ users: userId });
  const channel = opened.channel?.id;
  if (channel === undefined) throw new Error('Slack did not return the DM channel');
  return channel;
}
