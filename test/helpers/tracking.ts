import { expect } from 'vitest';
import type { SimMessage } from '../../sim/slack.js';
import type { Harness } from './harness.js';

/** Tracks a verification with `/kyc track` and returns its parent message once posted. */
export async function track(h: Harness, verificationId: string, channelId = 'C0KYC', userId = 'U0AGENT'): Promise<SimMessage> {
  const answer = await h.kyc(`track ${verificationId}`, { channelId, userId });
  expect(answer.status).toBe(200);
  const [reply] = await h.waitForReply(answer.responseUrl);
  expect(reply).toContain('Tracking');
  const parent = h.slack.messages(channelId).find((m) => m.thread_ts === undefined && m.text.includes(verificationId));
  expect(parent).toBeDefined();
  return parent as SimMessage;
}

/** The replies in a thread as "STATUS/SUB_STATUS" pairs, read from their text. */
export function threadCodes(h: Harness, channelId: string, parentTs: string): string[] {
  return h.slack
    .thread(channelId, parentTs)
    .map((m) => /`([A-Z_]+)` \/ `([A-Z_\-—]+)`/.exec(m.text))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => `${match[1]}/${match[2]}`);
}

export function everySlackCallText(h: Harness): string {
  return JSON.stringify([h.slack.calls, h.slack.responses, h.slack.messages('C0KYC'), h.slack.messages('C0OTHER')]);
}
