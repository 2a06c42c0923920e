import type { KnownBlock } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import { pacedCall, type SlackPacer } from './pacing.js';

/** A file to share: its bytes and how Slack names and describes it. */
export interface SharedFile {
  bytes: Buffer;
  filename: string;
  title: string;
  /** Read out by screen readers in place of an image. */
  altText?: string;
}

/**
 * Shares files in a channel as one message, with blocks above them: Slack's upload in three steps
 * (files.getUploadURLExternal per file, the bytes, files.completeUploadExternal for all) through the Web
 * API client's files.uploadV2. The message is a post to the channel, so it waits its turn in the channel's lane.
 */
export async function shareFiles(
  deps: { slack: WebClient; slackPacer: SlackPacer },
  target: { channelId: string; blocks: KnownBlock[] },
  files: readonly SharedFile[],
  maxWaitMs: number,
): Promise<void> {
  await pacedCall(deps.slackPacer, { method: 'chat.postMessage', channel: target.channelId }, maxWaitMs, () =>
    deps.slack.files.uploadV2({
      channel_id: target.channelId,
      blocks: target.blocks,
      file_uploads: files.map((file) => ({
        file: file.bytes,
        filename: file.filename,
        title: file.title,
        ...(file.altText === undefined ? {} : { alt_text: file.altText }),
      })),
    }),
  );
}
