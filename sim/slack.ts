import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { listenOnLoopback, pause, send, sendJson } from './local-server.js';
import { ackRefusal, messageRefusal, type Refusal } from './slack-block-kit.js';
import { createSlackFaultQueue, serveSlackFault, type SlackFault } from './slack-faults.js';
import { createFileStore, type SimFile } from './slack-files.js';
import { createFunctionsSim, type FunctionDefinitions, type SimFunctions } from './slack-functions.js';
import { createSlackMethods, SIM_BOT, type SimFileInfo } from './slack-methods.js';
import { parseSlackBody, stringParam } from './slack-params.js';
import { createChannelRateLimiter, type ChannelRateLimit } from './slack-rate-limit.js';
import { createSocketModeSim, type SimSocket } from './slack-socket.js';
import { createSlackStore, type SimMessage } from './slack-store.js';
import { createViewMethods, type SimView } from './slack-views.js';
import { missingScope, scopeNeeded } from './slack-scopes.js';
import { globalShortcutPayload, messageShortcutPayload, type ShortcutActor } from './slack-shortcuts.js';

export type { Refusal } from './slack-block-kit.js';
export type { SlackFault } from './slack-faults.js';
export type { FunctionDefinitions, SimCompletion, SimExecution, SimFunctions } from './slack-functions.js';
export type { ChannelRateLimit } from './slack-rate-limit.js';
export { shownText, type SimFileRef, type SimMessage } from './slack-store.js';
export type { SimView } from './slack-views.js';
export type { ShortcutActor } from './slack-shortcuts.js';
export type { SimFile } from './slack-files.js';
export type {
  SimSocket,
  SocketConnectionRecord,
  SocketDisconnectReason,
  SocketEnvelopeRecord,
  SocketEnvelopeType,
  SocketFrameRecord,
  SocketSendOptions,
} from './slack-socket.js';

export interface SlackSimOptions {
  /** Default 'xoxb-sim-token'. */
  botToken?: string;
  /** Default 'T0SIM'. */
  teamId?: string;
  /** The app-level token apps.connections.open takes. Default 'xapp-sim-app-token'. */
  appToken?: string;
  /** Slack's per-channel posting limit on chat.postMessage and chat.update; off (no limit) by default. */
  channelRateLimit?: ChannelRateLimit;
  /**
   * The bot token's scopes (e.g. manifest.yml's): a method needing another answers `missing_scope`, as Slack
   * does (sim/slack-scopes.ts). Undefined: every scope is granted.
   */
  scopes?: readonly string[];
  /** The app's Workflow Builder steps, as manifest.yml declares them under `functions`; none by default. */
  functions?: FunctionDefinitions;
}

export interface SlackCall {
  /** e.g. 'chat.postMessage' */
  method: string;
  /** Form fields; blocks, attachments, metadata, files… parsed from their JSON strings. */
  params: Record<string, unknown>;
  /** From Authorization: Bearer, else the token form field. */
  token?: string;
  at: number;
  failed?: true;
}

/** Methods that take the app-level token, and only from Authorization: Bearer (Slack ignores a token field). */
const APP_TOKEN_METHODS = new Set(['apps.connections.open']);

export interface SimUpload {
  fileId: string;
  bytes: Buffer;
  /** As declared to files.getUploadURLExternal. */
  filename: string | undefined;
  declaredLength: number | undefined;
  altText: string | undefined;
  at: number;
  failed?: true;
}

export interface SimResponsePost {
  url: string;
  id: string;
  body: Record<string, unknown>;
  at: number;
  failed?: true;
}

/** A payload refused for breaking a Block Kit limit: where it went and why Slack refused it. */
export interface SimRefusal extends Refusal {
  /** A Web API method, 'response_url', or 'ack' (an acknowledgement checked with checkAck). */
  where: string;
  at: number;
}

export interface SlackSim {
  /** http://127.0.0.1:<port>/api/ — use as slackApiUrl. */
  apiUrl: string;
  /** Socket Mode: the links apps.connections.open hands out, and the envelopes sent over them. */
  socket: SimSocket;
  /** Workflow Builder custom steps: executions to deliver as `function_executed`, and their completions. */
  functions: SimFunctions;
  /** Modals opened and Home tabs published, oldest first. */
  views: SimView[];
  /** The latest Home tab published for a user. */
  home(userId: string): SimView | undefined;
  modals(): SimView[];
  calls: SlackCall[];
  uploads: SimUpload[];
  responses: SimResponsePost[];
  /** A fresh response_url for a slash command. */
  responseUrl(label?: string): string;
  /** The next POST to any response_url answers this HTTP status. */
  failResponseUrl(status: number): void;
  messages(channel: string): SimMessage[];
  /** What the bot posted in its DM with a user (the channel conversations.open gave it). */
  directMessages(userId: string): SimMessage[];
  thread(channel: string, parentTs: string): SimMessage[];
  /** A person's message in a channel (in a thread with threadTs), as a shortcut can be run on. */
  userMessage(channel: string, text: string, opts?: { threadTs?: string; userId?: string }): SimMessage;
  /**
   * The `message_action` payload Slack sends when someone runs a message shortcut on the message `ts` in
   * `channel` (it must exist: Slack offers shortcuts only on messages people see). Send it with `interact`.
   */
  messageShortcut(channel: string, ts: string, callbackId: string, actor?: ShortcutActor): Record<string, unknown>;
  /** The `shortcut` payload of a global shortcut: no channel. */
  globalShortcut(callbackId: string, actor?: ShortcutActor): Record<string, unknown>;
  /** Takes a scope from the bot token (as reinstalling the app without it would): its methods answer `missing_scope`. */
  revokeScope(scope: string): void;
  grantScope(scope: string): void;
  deleteMessage(channel: string, ts: string): void;
  removeBot(channel: string): void;
  addBot(channel: string): void;
  setChannelMissing(channel: string): void;
  /** method: a Web API method name, or 'upload' for the upload URL. */
  fail(method: string, fault: SlackFault, times?: number): void;
  setLatency(ms: number): void;
  /**
   * Turns Slack's per-channel limit on (or off with undefined): a chat.postMessage or chat.update to a channel beyond
   * `perSecond` (after a burst of `burst`) answers HTTP 429 `ratelimited` with Retry-After, as Slack does.
   */
  setChannelRateLimit(limit: ChannelRateLimit | undefined): void;
  /** Calls answered 429 by the per-channel limit, oldest first (also in `calls`, marked failed). reset() clears them. */
  rateLimited: SlackCall[];
  waitFor<T>(check: () => T | undefined | false, timeoutMs?: number): Promise<T>;
  /**
   * Every payload refused for breaking a Block Kit limit (chat.*, files.completeUploadExternal, views.*, response_url,
   * and acknowledgements passed to checkAck), oldest first. reset() keeps them: a test that expects one removes it.
   */
  refusals: SimRefusal[];
  /**
   * Checks what the app acknowledged with (an HTTP response body parsed from JSON, or a Socket Mode ack's payload)
   * as Slack would show it; a refusal is recorded in `refusals` and returned. `viewId` names the view a
   * view_submission came from, so `response_action: errors` is checked against its input blocks.
   */
  checkAck(ack: unknown, viewId?: string): SimRefusal | undefined;
  /** Throws, listing them, if any payload was refused for breaking a Block Kit limit. */
  assertNoRefusals(): void;
  /** Files people shared and files the bot uploaded; a deleted one stays, marked `deleted`. */
  files(): SimFile[];
  /**
   * A person shares a file in their DM with the bot (channel `D<user>`): the message is stored, and the Events
   * API callback Slack sends for it (`message`, subtype `file_share`, channel_type `im`) is returned for the
   * test to deliver (harness.event), over Socket Mode or HTTP.
   */
  shareFile(p: { user?: string; name: string; content: string | Buffer; mimetype?: string; filetype?: string; text?: string }): {
    file: SimFile;
    event: Record<string, unknown>;
  };
  /** Clears calls, rate-limited calls, uploads, responses and socket envelopes; messages, channels, connections and refusals stay. */
  reset(): void;
  close(): Promise<void>;
}

function bearerToken(authorization: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  return match?.[1];
}

function parseResponseBody(raw: Buffer): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(raw.toString('utf8'));
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return Object.fromEntries(Object.entries(parsed));
  } catch {
    // not JSON: keep the raw text below
  }
  return { raw: raw.toString('utf8') };
}

export async function startSlackSim(opts: SlackSimOptions = {}): Promise<SlackSim> {
  const botToken = opts.botToken ?? 'xoxb-sim-token';
  const appToken = opts.appToken ?? 'xapp-sim-app-token';
  const calls: SlackCall[] = [];
  const granted = opts.scopes === undefined ? undefined : new Set(opts.scopes);
  /** Taken back by revokeScope. */
  const revoked = new Set<string>();
  const hasScope = (scope: string) => (granted === undefined || granted.has(scope)) && !revoked.has(scope);
  const rateLimited: SlackCall[] = [];
  const channelLimit = createChannelRateLimiter();
  channelLimit.set(opts.channelRateLimit);
  const uploads: SimUpload[] = [];
  const responses: SimResponsePost[] = [];
  const responseFailures: number[] = [];
  const refusals: SimRefusal[] = [];
  const refuse = (where: string, refusal: Refusal): SimRefusal => {
    const recorded = { where, ...refusal, at: Date.now() };
    refusals.push(recorded);
    return recorded;
  };
  const faults = createSlackFaultQueue();
  const store = createSlackStore();
  let latencyMs = 0;
  let responseCounter = 0;
  let origin = '';
  const socketMode = createSocketModeSim({ origin: () => origin });
  const viewMethods = createViewMethods({ onRefusal: refuse, openDm: store.openDm });
  const declaredFiles = new Map<string, SimFileInfo>();
  const teamId = opts.teamId ?? 'T0SIM';
  const functions = createFunctionsSim({ definitions: opts.functions ?? {}, teamId, appId: 'A0KYC', botToken });
  const fileStore = createFileStore({ origin: () => origin, teamId, botUserId: SIM_BOT.user_id, botToken, hasScope });
  const chatMethods = createSlackMethods({
    store,
    teamId,
    uploadUrl: (id) => `${origin}/upload/${id}`,
    onRefusal: refuse,
    onUploadUrl: (id, file) => declaredFiles.set(id, file),
  });
  const methods: ReturnType<typeof createSlackMethods> = {
    ...chatMethods,
    // A file the bot uploads is the bot's: files.info sees it, and the bot may delete it.
    'files.completeUploadExternal': (p) => {
      const answer = chatMethods['files.completeUploadExternal']?.(p) ?? { ok: false, error: 'unknown_method' };
      const shared = answer['ok'] === true && Array.isArray(answer['files']) ? (answer['files'] as Array<Record<string, unknown>>) : [];
      const channel = stringParam(p, 'channel_id');
      for (const file of shared) {
        const id = String(file['id']);
        fileStore.add({
          id,
          name: String(file['name'] ?? id),
          mimetype: 'application/octet-stream',
          filetype: 'binary',
          user: SIM_BOT.user_id,
          bytes: uploads.filter((u) => u.fileId === id && u.failed !== true).at(-1)?.bytes ?? Buffer.alloc(0),
          channels: channel === undefined ? [] : [channel],
        });
      }
      return answer;
    },
    ...fileStore.methods,
    ...viewMethods.methods,
    'apps.connections.open': socketMode.openConnectionUrl,
  };

  /** Slack tells a token of the wrong kind apart from a token it does not know. */
  function tokenProblem(method: string, bearer: string | undefined, token: string | undefined): string | undefined {
    const takesAppToken = APP_TOKEN_METHODS.has(method);
    const presented = takesAppToken ? bearer : token;
    if (presented === (takesAppToken ? appToken : botToken)) return undefined;
    if (!takesAppToken && functions.isRunningToken(presented)) return undefined;
    return presented === appToken || presented === botToken ? 'not_allowed_token_type' : 'invalid_auth';
  }

  async function handleApi(method: string, url: URL, req: IncomingMessage, res: ServerResponse, raw: Buffer, closing: AbortSignal) {
    const { params } = await parseSlackBody(raw, req.headers['content-type']);
    const allParams = { ...Object.fromEntries(url.searchParams), ...params };
    const bearer = bearerToken(req.headers.authorization);
    const token = bearer ?? stringParam(allParams, 'token');
    const call: SlackCall = { method, params: allParams, token, at: Date.now() };
    calls.push(call);
    const fault = faults.take(method);
    await pause(latencyMs, closing);
    if (fault && (await serveSlackFault(fault, req, res, closing, 'api'))) {
      call.failed = true;
      return;
    }
    // functions.completeSuccess / completeError check their own token: the bot's, or the execution's.
    const answer = functions.handles(method) ? (params: Record<string, unknown>) => functions.complete(method, params, token) : methods[method];
    if (!answer) return sendJson(res, 200, { ok: false, error: 'unknown_method' });
    const problem = functions.handles(method) ? undefined : tokenProblem(method, bearer, token);
    if (problem) return sendJson(res, 200, { ok: false, error: problem });
    const needed = scopeNeeded(method, stringParam(allParams, 'channel') ?? stringParam(allParams, 'channel_id'));
    if (needed !== undefined && !hasScope(needed)) return sendJson(res, 200, missingScope(needed, granted ?? new Set()));
    const retryAfter = channelLimit.check(method, stringParam(allParams, 'channel'));
    if (retryAfter !== undefined) {
      call.failed = true;
      rateLimited.push(call);
      return sendJson(res, 429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(retryAfter) });
    }
    const body = answer(allParams);
    if (fault !== undefined && 'dropAnswer' in fault) {
      call.failed = true;
      req.socket.destroy();
      return;
    }
    sendJson(res, 200, body);
  }

  async function handleUpload(fileId: string, req: IncomingMessage, res: ServerResponse, raw: Buffer, closing: AbortSignal) {
    const { binaries } = await parseSlackBody(raw, req.headers['content-type']);
    const declared = declaredFiles.get(fileId);
    const upload: SimUpload = {
      fileId,
      bytes: binaries['body'] ?? Object.values(binaries)[0] ?? raw,
      filename: declared?.filename,
      declaredLength: declared?.length,
      altText: declared?.altText,
      at: Date.now(),
    };
    uploads.push(upload);
    const fault = faults.take('upload');
    await pause(latencyMs, closing);
    if (fault && (await serveSlackFault(fault, req, res, closing, 'upload'))) {
      upload.failed = true;
      return;
    }
    send(res, 200, `OK - ${upload.bytes.length}`, { 'content-type': 'text/plain' });
  }

  async function handleResponseUrl(id: string, res: ServerResponse, raw: Buffer, closing: AbortSignal) {
    const post: SimResponsePost = { url: `${origin}/response/${id}`, id, body: parseResponseBody(raw), at: Date.now() };
    responses.push(post);
    const failStatus = responseFailures.shift();
    await pause(latencyMs, closing);
    const refusal = messageRefusal(post.body);
    if (refusal !== undefined) {
      // A response_url answers like an incoming webhook: HTTP 400 with the error code as the body.
      refuse('response_url', refusal);
      post.failed = true;
      send(res, 400, refusal.error, { 'content-type': 'text/plain' });
      return;
    }
    if (failStatus === undefined) {
      send(res, 200, 'ok', { 'content-type': 'text/plain' });
      return;
    }
    post.failed = true;
    send(res, failStatus, `simulated HTTP ${failStatus}`, { 'content-type': 'text/plain' });
  }

  async function handle(req: IncomingMessage, res: ServerResponse, raw: Buffer, closing: AbortSignal): Promise<void> {
    const url = new URL(req.url ?? '/', origin);
    const [, surface, name = ''] = /^\/(api|upload|response)\/(.+)$/.exec(url.pathname) ?? [];
    const decoded = decodeURIComponent(name);
    if (surface === 'api') return handleApi(decoded, url, req, res, raw, closing);
    if (surface === 'upload' && req.method === 'POST') return handleUpload(decoded, req, res, raw, closing);
    if (surface === 'response' && req.method === 'POST') return handleResponseUrl(decoded, res, raw, closing);
    if (fileStore.serveDownload(req, res, url.pathname)) return;
    send(res, 404, 'not found', { 'content-type': 'text/plain' });
  }

  async function waitFor<T>(check: () => T | undefined | false, timeoutMs = 5000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const result = check();
      if (result !== undefined && result !== false) return result;
      if (Date.now() >= deadline) {
        const called = calls.map((c) => (c.failed ? `${c.method} (failed)` : c.method)).join(', ') || 'none';
        throw new Error(
          `slack sim: condition not met within ${timeoutMs} ms. Web API calls so far: ${called}; ` +
            `uploads: ${uploads.length}; response_url posts: ${responses.length}`,
        );
      }
      await delay(10);
    }
  }

  const server = await listenOnLoopback(handle, socketMode.handleUpgrade);
  origin = `http://127.0.0.1:${server.port}`;
  return {
    apiUrl: `${origin}/api/`,
    socket: socketMode.socket,
    functions: functions.sim,
    views: viewMethods.views,
    home: viewMethods.home,
    modals: viewMethods.modals,
    calls,
    uploads,
    responses,
    responseUrl: (label) => {
      responseCounter += 1;
      const id = label ? `${encodeURIComponent(label)}-${responseCounter}` : String(responseCounter);
      return `${origin}/response/${id}`;
    },
    failResponseUrl: (status) => {
      responseFailures.push(status);
    },
    messages: store.messages,
    directMessages: (userId) => store.messages(`D${userId}`),
    thread: store.thread,
    userMessage: (channel, text, opts = {}) => {
      if (opts.threadTs !== undefined && store.find(channel, opts.threadTs) === undefined) throw new Error(`slack sim: no message ${opts.threadTs} in ${channel}`);
      return store.post({ channel, text, thread_ts: opts.threadTs, user: opts.userId ?? 'U0CUSTOMERCARE' });
    },
    messageShortcut: (channel, ts, callbackId, actor) => {
      const message = store.find(channel, ts);
      if (message === undefined) throw new Error(`slack sim: no message ${ts} in ${channel} to run a shortcut on`);
      responseCounter += 1;
      return messageShortcutPayload(message, callbackId, `${origin}/response/shortcut-${responseCounter}`, actor);
    },
    globalShortcut: (callbackId, actor) => globalShortcutPayload(callbackId, actor),
    revokeScope: (scope) => void revoked.add(scope),
    grantScope: (scope) => void revoked.delete(scope),
    deleteMessage: store.deleteMessage,
    removeBot: store.removeBot,
    addBot: store.addBot,
    setChannelMissing: store.setChannelMissing,
    fail: (method, fault, times = 1) => faults.add(method, fault, times),
    setLatency: (ms) => {
      latencyMs = ms;
    },
    setChannelRateLimit: (limit) => channelLimit.set(limit),
    files: fileStore.all,
    shareFile: (p) => {
      const user = p.user ?? 'U0AGENT';
      // The person writes in their DM with the bot: that conversation exists from then on.
      const channel = store.openDm(user);
      const file = fileStore.add({
        name: p.name,
        mimetype: p.mimetype ?? 'text/csv',
        filetype: p.filetype ?? 'csv',
        user,
        bytes: Buffer.isBuffer(p.content) ? p.content : Buffer.from(p.content, 'utf8'),
        channels: [channel],
      });
      const message = store.post({ channel, text: p.text ?? '', files: [{ id: file.id, title: file.name }] });
      const info = fileStore.methods['files.info']?.({ file: file.id }) ?? {};
      const event = {
        type: 'message',
        subtype: 'file_share',
        text: message.text,
        files: [info['file']],
        upload: true,
        user,
        display_as_bot: false,
        ts: message.ts,
        channel,
        event_ts: message.ts,
        channel_type: 'im',
      };
      return {
        file,
        event: {
          token: 'legacy',
          team_id: teamId,
          api_app_id: 'A0KYC',
          event,
          type: 'event_callback',
          event_id: `Ev${message.ts.replace('.', '')}`,
          event_time: file.created,
          authorizations: [{ enterprise_id: null, team_id: teamId, user_id: SIM_BOT.user_id, is_bot: true, is_enterprise_install: false }],
        },
      };
    },
    rateLimited,
    waitFor,
    refusals,
    checkAck: (ack, viewId) => {
      const refusal = ackRefusal(ack, viewMethods.views.find((v) => v.id === viewId)?.view);
      return refusal === undefined ? undefined : refuse('ack', refusal);
    },
    assertNoRefusals: () => {
      if (refusals.length === 0) return;
      const listed = refusals.map((r) => `${r.where}: ${r.error} ${r.messages.join(' ')}`).join('\n');
      throw new Error(`slack sim: Slack would have refused ${refusals.length} payload(s) for breaking Block Kit limits:\n${listed}`);
    },
    reset: () => {
      calls.length = 0;
      rateLimited.length = 0;
      uploads.length = 0;
      responses.length = 0;
      socketMode.reset();
    },
    close: async () => {
      // Upgraded sockets keep the HTTP server open until they end, so they go first.
      await socketMode.close();
      await server.close();
    },
  };
}
