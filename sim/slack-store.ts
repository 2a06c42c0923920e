export interface SimFileRef {
  id: string;
  title?: string;
}

export interface SimMessage {
  channel: string;
  ts: string;
  text: string;
  blocks?: unknown;
  /** Set on replies only; a parent keeps thread_ts undefined. */
  thread_ts?: string;
  reply_broadcast?: boolean;
  metadata?: unknown;
  files?: SimFileRef[];
  /** A person's message (see SlackSim.userMessage); undefined for the bot's own posts. */
  user?: string;
  deleted: boolean;
  /** Every chat.update applied, oldest first (the last one is the current text/blocks). */
  edits: { text: string; blocks?: unknown }[];
}

export type ChannelProblem = 'not_in_channel' | 'channel_not_found';

/** Messages and channel membership of the simulated workspace. */
export function createSlackStore() {
  const messages: SimMessage[] = [];
  /** channel + ts → message: a lookup per call must not scan every message (the bench posts thousands). */
  const byKey = new Map<string, SimMessage>();
  const removedFrom = new Set<string>();
  const missing = new Set<string>();
  /** DM channels opened with conversations.open: Slack knows no DM channel before it is opened. */
  const openedDms = new Set<string>();
  let tsCounter = 0;

  function nextTs(): string {
    tsCounter += 1;
    const seconds = 1_700_000_000 + Math.floor(tsCounter / 1_000_000);
    return `${seconds}.${String(tsCounter % 1_000_000).padStart(6, '0')}`;
  }

  function find(channel: string, ts: string): SimMessage | undefined {
    const message = byKey.get(`${channel} ${ts}`);
    return message === undefined || message.deleted ? undefined : message;
  }

  return {
    nextTs,
    find,
    post(message: Omit<SimMessage, 'ts' | 'deleted' | 'edits'>): SimMessage {
      const stored: SimMessage = { ...message, ts: nextTs(), deleted: false, edits: [] };
      messages.push(stored);
      byKey.set(`${stored.channel} ${stored.ts}`, stored);
      return stored;
    },
    /** The DM channel with a user, opened (the same id every time, as Slack's is). */
    openDm(userId: string): string {
      const channel = `D${userId}`;
      openedDms.add(channel);
      return channel;
    },
    channelProblem(channel: string | undefined): ChannelProblem | undefined {
      if (!channel || missing.has(channel)) return 'channel_not_found';
      if (channel.startsWith('D') && !openedDms.has(channel)) return 'channel_not_found';
      return removedFrom.has(channel) ? 'not_in_channel' : undefined;
    },
    messages: (channel: string): SimMessage[] => messages.filter((m) => m.channel === channel),
    thread: (channel: string, parentTs: string): SimMessage[] =>
      messages.filter((m) => m.channel === channel && m.thread_ts === parentTs && m.ts !== parentTs),
    deleteMessage(channel: string, ts: string): void {
      const message = find(channel, ts);
      if (!message) throw new Error(`slack sim: no message ${ts} in ${channel}`);
      message.deleted = true;
    },
    removeBot(channel: string): void {
      removedFrom.add(channel);
    },
    addBot(channel: string): void {
      removedFrom.delete(channel);
      missing.delete(channel);
    },
    setChannelMissing(channel: string): void {
      missing.add(channel);
    },
  };
}

export type SlackStore = ReturnType<typeof createSlackStore>;

/**
 * What a person sees of a message: the texts of its blocks (header, sections and their fields, context), or
 * its `text` when it has no blocks (Slack shows `text` only as the notification then).
 */
export function shownText(message: { text?: unknown; blocks?: unknown }): string {
  if (!Array.isArray(message.blocks) || message.blocks.length === 0) return typeof message.text === 'string' ? message.text : '';
  const texts: string[] = [];
  const add = (value: unknown) => {
    if (typeof value === 'object' && value !== null && 'text' in value && typeof value.text === 'string') texts.push(value.text);
  };
  for (const block of message.blocks as unknown[]) {
    if (typeof block !== 'object' || block === null) continue;
    if ('text' in block) add(block.text);
    if ('fields' in block && Array.isArray(block.fields)) block.fields.forEach(add);
    if ('type' in block && block.type === 'context' && 'elements' in block && Array.isArray(block.elements)) block.elements.forEach(add);
  }
  return texts.join('\n');
}
