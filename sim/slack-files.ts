import type { IncomingMessage, ServerResponse } from 'node:http';
import { send } from './local-server.js';
import { stringParam } from './slack-params.js';

/** A file in the simulated workspace: one a person shared (in a DM with the bot), or one the bot uploaded. */
export interface SimFile {
  id: string;
  name: string;
  mimetype: string;
  filetype: string;
  /** Who uploaded it: a person's id, or the bot's user id. */
  user: string;
  bytes: Buffer;
  /** Conversations it is shared in. */
  channels: string[];
  created: number;
  deleted: boolean;
}

type Answer = Record<string, unknown>;
const failed = (error: string): Answer => ({ ok: false, error });

/**
 * Files as Slack keeps them, with its rules for a bot token:
 * - `files.info` (files:read) answers only for a file in a conversation the bot is in (here: any channel, or a DM
 *   with the bot), with `url_private_download`;
 * - that URL gives the bytes only with `Authorization: Bearer <bot token>`; without it Slack redirects to its
 *   sign-in page, which answers 200 with HTML;
 * - `files.delete` (files:write): a bot token may delete only the files the bot uploaded; anyone else's is
 *   `cant_delete_file` (only the uploader, or an admin's user token, may delete it). Slack documents the code as
 *   "authenticated user does not have permission to delete this file"; a bot with files:write meets it on a
 *   person's file (kfei/slack-cleaner#89).
 */
export function createFileStore(deps: {
  origin: () => string;
  teamId: string;
  botUserId: string;
  botToken: string;
  /** Whether the bot token holds a scope (the simulator's, as sim/slack.ts grants them): a download needs files:read. */
  hasScope: (scope: string) => boolean;
}) {
  const files = new Map<string, SimFile>();
  let counter = 0;

  const downloadPath = (file: SimFile) => `/files-pri/${deps.teamId}-${file.id}/download/${encodeURIComponent(file.name)}`;
  const view = (file: SimFile): Answer => ({
    id: file.id,
    created: file.created,
    timestamp: file.created,
    name: file.name,
    title: file.name,
    mimetype: file.mimetype,
    filetype: file.filetype,
    user: file.user,
    size: file.bytes.length,
    mode: 'hosted',
    is_external: false,
    url_private: `${deps.origin()}/files-pri/${deps.teamId}-${file.id}/${encodeURIComponent(file.name)}`,
    url_private_download: `${deps.origin()}${downloadPath(file)}`,
    channels: file.channels.filter((c) => c.startsWith('C')),
    groups: file.channels.filter((c) => c.startsWith('G')),
    ims: file.channels.filter((c) => c.startsWith('D')),
  });

  function add(file: Omit<SimFile, 'id' | 'created' | 'deleted'> & { id?: string }): SimFile {
    counter += 1;
    const stored: SimFile = { ...file, id: file.id ?? `F0USR${String(counter).padStart(4, '0')}`, created: Math.floor(Date.now() / 1000), deleted: false };
    files.set(stored.id, stored);
    return stored;
  }

  const visibleToBot = (file: SimFile) => file.user === deps.botUserId || file.channels.length > 0;

  const methods: Record<string, (p: Record<string, unknown>) => Answer> = {
    'files.info': (p) => {
      const id = stringParam(p, 'file');
      if (!id) return failed('invalid_arguments');
      const file = files.get(id);
      if (file === undefined || !visibleToBot(file)) return failed('file_not_found');
      if (file.deleted) return failed('file_deleted');
      return { ok: true, file: view(file), comments: [], response_metadata: { next_cursor: '' } };
    },
    'files.delete': (p) => {
      const id = stringParam(p, 'file');
      if (!id) return failed('invalid_arguments');
      const file = files.get(id);
      if (file === undefined || !visibleToBot(file)) return failed('file_not_found');
      if (file.deleted) return failed('file_deleted');
      if (file.user !== deps.botUserId) return failed('cant_delete_file');
      file.deleted = true;
      return { ok: true };
    },
  };

  /** GET of a url_private(_download): true when the request was for a file URL and has been answered. */
  function serveDownload(req: IncomingMessage, res: ServerResponse, path: string): boolean {
    if (path === '/signin') {
      send(res, 200, '<!DOCTYPE html><html><head><title>Sign in | Slack</title></head><body>Sign in to Sim</body></html>', { 'content-type': 'text/html; charset=utf-8' });
      return true;
    }
    const match = /^\/files-pri\/[^/-]+-([^/]+)\/(?:download\/)?[^/]+$/.exec(path);
    if (match === null || req.method !== 'GET') return false;
    const file = files.get(match[1] ?? '');
    const authorised = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1] === deps.botToken;
    if (!authorised || !deps.hasScope('files:read')) {
      send(res, 302, '', { location: `${deps.origin()}/signin` });
      return true;
    }
    if (file === undefined || file.deleted || !visibleToBot(file)) {
      send(res, 404, 'Not Found', { 'content-type': 'text/plain' });
      return true;
    }
    res.writeHead(200, { 'content-type': file.mimetype, 'content-length': String(file.bytes.length) });
    res.end(file.bytes);
    return true;
  }

  return { add, get: (id: string) => files.get(id), all: () => [...files.values()], methods, serveDownload };
}

export type FileStore = ReturnType<typeof createFileStore>;
