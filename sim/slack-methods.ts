import { messageRefusal, refusedAnswer, type Refusal } from './slack-block-kit.js';
import { stringParam } from './slack-params.js';
import type { SimFileRef, SimMessage, SlackStore } from './slack-store.js';

export type SlackAnswer = Record<string, unknown>;
type Params = Record<string, unknown>;

export const SIM_BOT = { user: 'kyc-bot', user_id: 'U0BOT', bot_id: 'B0BOT' } as const;

const failed = (error: string): SlackAnswer => ({ ok: false, error });

function hasContent(params: Params): boolean {
  const nonEmpty = (value: unknown) => (Array.isArray(value) ? value.length > 0 : value !== undefined && value !== '');
  return Boolean(stringParam(params, 'text')) || nonEmpty(params['blocks']) || nonEmpty(params['attachments']);
}

function flag(params: Params, name: string): boolean | undefined {
  const value = stringParam(params, name);
  return value === undefined ? undefined : value === 'true' || value === '1';
}

function fileRefs(value: unknown): SimFileRef[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const items: unknown[] = value;
  const refs: SimFileRef[] = [];
  for (const item of items) {
    if (typeof item !== 'object' || item === null || !('id' in item) || typeof item.id !== 'string') return undefined;
    const title = 'title' in item && typeof item.title === 'string' ? item.title : undefined;
    refs.push({ id: item.id, title });
  }
  return refs;
}

export function messageView(m: SimMessage): SlackAnswer {
  const author = m.user === undefined ? { user: SIM_BOT.user_id, bot_id: SIM_BOT.bot_id } : { user: m.user };
  return { type: 'message', ...author, text: m.text, ts: m.ts, thread_ts: m.thread_ts, blocks: m.blocks, files: m.files };
}

export interface SlackMethodDeps {
  store: SlackStore;
  teamId: string;
  uploadUrl: (fileId: string) => string;
  /** Told of every payload refused for breaking a Block Kit limit. */
  onRefusal: (method: string, refusal: Refusal) => void;
  /** Told of every upload URL handed out, with what the file was declared to be. */
  onUploadUrl?: (fileId: string, file: SimFileInfo) => void;
}

/** What files.getUploadURLExternal was told about a file. */
export interface SimFileInfo {
  filename: string;
  length: number;
  /** `alt_text` as the Web API client sends it (`alt_txt` in Slack's reference). */
  altText: string | undefined;
}

/** The Web API methods the simulator implements, each answering the JSON body Slack would. */
export function createSlackMethods(deps: SlackMethodDeps) {
  const { store } = deps;

  /** Checks a message's text and blocks against Slack's limits; the refusal to answer with, if any. */
  function limitsProblem(method: string, params: Params): SlackAnswer | undefined {
    const refusal = messageRefusal(params);
    if (refusal === undefined) return undefined;
    deps.onRefusal(method, refusal);
    return refusedAnswer(refusal);
  }
  const pendingFiles = new Map<string, { filename: string; length: number }>();
  let fileCounter = 0;

  /** Checks channel membership and thread_ts, as chat.postMessage and files.completeUploadExternal do. */
  function postingProblem(channel: string | undefined, threadTs: string | undefined): string | undefined {
    const problem = store.channelProblem(channel);
    if (problem) return problem;
    if (channel && threadTs && !store.find(channel, threadTs)) return 'thread_not_found';
    return undefined;
  }

  const methods: Record<string, (params: Params) => SlackAnswer> = {
    'auth.test': () => ({ ok: true, url: 'https://sim.slack.com/', team: 'Sim', team_id: deps.teamId, ...SIM_BOT }),

    'chat.postMessage': (p) => {
      const channel = stringParam(p, 'channel') ?? '';
      const thread_ts = stringParam(p, 'thread_ts') || undefined;
      const problem = postingProblem(channel, thread_ts) ?? (hasContent(p) ? undefined : 'no_text');
      if (problem) return failed(problem);
      const refused = limitsProblem('chat.postMessage', p);
      if (refused) return refused;
      const message = store.post({
        channel,
        text: stringParam(p, 'text') ?? '',
        blocks: p['blocks'],
        thread_ts,
        reply_broadcast: flag(p, 'reply_broadcast'),
        metadata: p['metadata'],
      });
      return { ok: true, channel, ts: message.ts, message: messageView(message) };
    },

    'chat.update': (p) => {
      const channel = stringParam(p, 'channel') ?? '';
      if (store.channelProblem(channel) === 'channel_not_found') return failed('channel_not_found');
      const message = store.find(channel, stringParam(p, 'ts') ?? '');
      if (!message) return failed('message_not_found');
      if (!hasContent(p)) return failed('no_text');
      const refused = limitsProblem('chat.update', p);
      if (refused) return refused;
      message.text = stringParam(p, 'text') ?? '';
      message.blocks = p['blocks'];
      message.edits.push({ text: message.text, blocks: message.blocks });
      return { ok: true, channel, ts: message.ts, text: message.text, message: messageView(message) };
    },

    'chat.postEphemeral': (p) => {
      const problem = store.channelProblem(stringParam(p, 'channel'));
      if (problem) return failed(problem);
      if (!stringParam(p, 'user')) return failed('invalid_arguments');
      if (!hasContent(p)) return failed('no_text');
      const refused = limitsProblem('chat.postEphemeral', p);
      if (refused) return refused;
      return { ok: true, message_ts: store.nextTs() };
    },

    'conversations.replies': (p) => {
      const channel = stringParam(p, 'channel') ?? '';
      const ts = stringParam(p, 'ts') ?? '';
      const problem = store.channelProblem(channel);
      if (problem) return failed(problem);
      const parent = store.find(channel, ts);
      if (!parent) return failed('thread_not_found');
      const withMetadata = flag(p, 'include_all_metadata') === true;
      const all = [parent, ...store.thread(channel, ts).filter((m) => !m.deleted)].map((m) => ({
        ...messageView(m),
        ...(withMetadata && m.metadata !== undefined ? { metadata: m.metadata } : {}),
      }));
      const limit = Math.min(1000, Math.max(1, Number(stringParam(p, 'limit') ?? '100') || 100));
      const start = Number(stringParam(p, 'cursor') ?? '0') || 0;
      const page = all.slice(start, start + limit);
      const more = start + limit < all.length;
      return { ok: true, messages: page, has_more: more, response_metadata: { next_cursor: more ? String(start + limit) : '' } };
    },

    /**
     * The bot's view of a conversation (channels:read, groups:read): `is_member` says whether it can post
     * there. As in Slack, a private channel (`G…`) the bot is not in does not exist for it.
     */
    'conversations.info': (p) => {
      const channel = stringParam(p, 'channel') ?? '';
      if (channel === '') return failed('invalid_arguments');
      const problem = store.channelProblem(channel);
      const isPrivate = channel.startsWith('G');
      if (problem === 'channel_not_found' || !/^[CGD][A-Z0-9]+$/.test(channel) || (isPrivate && problem === 'not_in_channel')) {
        return failed('channel_not_found');
      }
      const isIm = channel.startsWith('D');
      return {
        ok: true,
        channel: {
          id: channel,
          ...(isIm ? {} : { name: channel.toLowerCase() }),
          is_channel: channel.startsWith('C'),
          is_group: isPrivate,
          is_im: isIm,
          is_private: isPrivate || isIm,
          is_archived: false,
          ...(isIm ? {} : { is_member: problem === undefined }),
        },
      };
    },

    'chat.getPermalink': (p) => {
      const channel = stringParam(p, 'channel') ?? '';
      const ts = stringParam(p, 'message_ts') ?? '';
      if (store.channelProblem(channel) === 'channel_not_found') return failed('channel_not_found');
      if (!store.find(channel, ts)) return failed('message_not_found');
      return { ok: true, channel, permalink: `https://sim.slack.com/archives/${channel}/p${ts.replace('.', '')}` };
    },

    'files.getUploadURLExternal': (p) => {
      const filename = stringParam(p, 'filename');
      const length = Number(stringParam(p, 'length'));
      if (!filename || !Number.isInteger(length) || length <= 0) return failed('invalid_arguments');
      fileCounter += 1;
      const file_id = `F0SIM${String(fileCounter).padStart(4, '0')}`;
      pendingFiles.set(file_id, { filename, length });
      deps.onUploadUrl?.(file_id, { filename, length, altText: stringParam(p, 'alt_text') ?? stringParam(p, 'alt_txt') });
      return { ok: true, upload_url: deps.uploadUrl(file_id), file_id };
    },

    'files.completeUploadExternal': (p) => {
      const refs = fileRefs(p['files']);
      if (!refs || refs.length === 0) return failed('invalid_arguments');
      if (refs.some((ref) => !pendingFiles.has(ref.id))) return failed('file_not_found');
      const channel = stringParam(p, 'channel_id');
      const thread_ts = stringParam(p, 'thread_ts') || undefined;
      if (channel === undefined) return { ok: true, files: refs.map((ref) => fileView(ref, {})) };
      const problem = postingProblem(channel, thread_ts);
      if (problem) return failed(problem);
      const comment = stringParam(p, 'initial_comment');
      const refused = limitsProblem('files.completeUploadExternal', { text: comment, blocks: p['blocks'] });
      if (refused) return refused;
      const message = store.post({
        channel,
        text: comment ?? '',
        blocks: comment === undefined ? p['blocks'] : undefined,
        thread_ts,
        files: refs,
      });
      const share = thread_ts ? { ts: message.ts, thread_ts } : { ts: message.ts };
      return { ok: true, files: refs.map((ref) => fileView(ref, { public: { [channel]: [share] } })) };
    },
  };

  function fileView(ref: SimFileRef, shares: Record<string, unknown>): SlackAnswer {
    const name = pendingFiles.get(ref.id)?.filename;
    return { id: ref.id, name, title: ref.title ?? name, size: pendingFiles.get(ref.id)?.length, shares };
  }

  return methods;
}
