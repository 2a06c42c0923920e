import type { WebClient } from '@slack/web-api';

/** A file for one person's eyes. */
export interface PrivateFile {
  bytes: Buffer;
  filename: string;
  title: string;
  comment: string;
}

/**
 * A file cannot be ephemeral: it goes to the person's DM with the bot (conversations.open, files.uploadV2).
 * Throws what Slack throws; resolves with the DM's channel id.
 */
export async function sendFilePrivately(slack: WebClient, userId: string, file: PrivateFile): Promise<string> {
  const opened = await slack.conversations.open({ users: userId });
  const dm = opened.channel?.id;
  if (dm === undefined) throw new Error('Slack did not return the DM channel');
  await slack.files.uploadV2({ channel_id: dm, file: file.bytes, filename: file.filename, title: file.title, initial_comment: file.comment });
  return dm;
}
