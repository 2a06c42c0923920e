import type { WebClient } from '@slack/web-api';
import { openDirectMessage } from './dm.js';

/** A file for one person's eyes. */
export interface PrivateFile {
  bytes: Buffer;
  filename: string;
  title: string;
  comment: string;
  /** For a picture: what a screen reader says. */
  altText?: string;
}

/**
 * A file cannot be ephemeral: it goes to the person's DM with the bot (conversations.open, files.uploadV2).
 * Throws what Slack throws; resolves with the DM's channel id.
 */
export async function sendFilePrivately(slack: WebClient, userId: string, file: PrivateFile): Promise<string> {
  const dm = await openDirectMessage(slack, userId);
  await slack.files.uploadV2({
    channel_id: dm,
    file: file.bytes,
    filename: file.filename,
    title: file.title,
    initial_comment: file.comment,
    ...(file.altText === undefined ? {} : { alt_text: file.altText }),
  });
  return dm;
}
