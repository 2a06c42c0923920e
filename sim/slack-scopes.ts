/**
 * The bot-token scopes Slack requires per Web API method (each method's reference page, "Required scopes"),
 * for the methods the simulator implements. Where the scope depends on the conversation, it is read from
 * the channel id: `C…` public, `G…` private, `D…` a DM. Methods absent here need no scope.
 */
const BY_CONVERSATION: Record<string, Record<'C' | 'G' | 'D', string>> = {
  'conversations.info': { C: 'channels:read', G: 'groups:read', D: 'im:read' },
  'conversations.replies': { C: 'channels:history', G: 'groups:history', D: 'im:history' },
};

const FIXED: Record<string, string> = {
  'chat.postMessage': 'chat:write',
  'chat.update': 'chat:write',
  'chat.postEphemeral': 'chat:write',
  'conversations.open': 'im:write',
  'files.getUploadURLExternal': 'files:write',
  'files.completeUploadExternal': 'files:write',
  'files.info': 'files:read',
  'files.delete': 'files:write',
};

/** The scope this call needs, if any. */
export function scopeNeeded(method: string, channel: string | undefined): string | undefined {
  const byConversation = BY_CONVERSATION[method];
  if (byConversation === undefined) return FIXED[method];
  const kind = channel?.charAt(0);
  return kind === 'C' || kind === 'G' || kind === 'D' ? byConversation[kind] : byConversation.C;
}

/** Slack's answer to a token without the scope a method needs. */
export function missingScope(needed: string, granted: ReadonlySet<string>): Record<string, unknown> {
  return { ok: false, error: 'missing_scope', needed, provided: [...granted].join(',') };
}
