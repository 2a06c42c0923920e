import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import { pause } from './local-server.js';
import { slashCommandFields, type SlashCommandParams } from './sign.js';
import { createEnvelopeLedger, type SocketEnvelopeRecord, type SocketEnvelopeType, type SocketFrameRecord } from './slack-socket-envelopes.js';
import { disconnectFrame, frameText, helloFrame, refuseUpgrade, SIM_APP_ID } from './slack-socket-frames.js';

export type { SocketEnvelopeRecord, SocketEnvelopeType, SocketFrameRecord } from './slack-socket-envelopes.js';

/** Slack's limit: an envelope not acked within 3 s counts as failed. */
const ACK_LIMIT_MS = 3000;
const CONNECTION_WAIT_MS = 10_000;
/** How long a client told to reconnect gets to close the socket itself before the simulator does. */
const CLOSE_AFTER_DISCONNECT_MS = 100;

export type SocketDisconnectReason = 'refresh_requested' | 'warning' | 'link_disabled' | 'too_many_websockets';

export interface SocketConnectionRecord {
  /** 1 for the first connection ever opened, then 2, 3… */
  id: number;
  ticket: string;
  openedAt: number;
  closedAt?: number;
  /** The code of the client's close frame, or 1006 when the socket ended without one. */
  closeCode?: number;
}

export interface SocketSendOptions {
  /** Default 3000 (Slack's own limit). */
  ackTimeoutMs?: number;
  /** Default 0. */
  retryAttempt?: number;
  /** Default ''. */
  retryReason?: string;
  /** Default true, false for events_api. */
  acceptsResponsePayload?: boolean;
}

export interface SimSocket {
  /** Sockets open right now (one told to reconnect counts until it closes). */
  openConnections(): number;
  /** Connections ever opened. */
  connectionsOpened(): number;
  /** Resolves once at least `total` (default 1) connections have ever been opened and one can take envelopes; default timeout 10 s. */
  waitForConnection(total?: number, timeoutMs?: number): Promise<void>;
  /**
   * Sends an envelope to the newest connection that can take it (waiting up to 10 s for one) and resolves
   * with its record once acked; rejects when no ack comes within ackTimeoutMs (default 3000, Slack's limit).
   */
  send(type: SocketEnvelopeType, payload: Record<string, unknown>, opts?: SocketSendOptions): Promise<SocketEnvelopeRecord>;
  /** Sends the fields of a slash command, as a JSON object, as `slash_commands`. */
  slashCommand(p: SlashCommandParams, opts?: SocketSendOptions): Promise<SocketEnvelopeRecord>;
  /**
   * Sends `{type:'disconnect', reason}` to every open connection. For every reason but 'warning' those
   * connections take no more envelopes and the simulator closes them after ~100 ms if the client has not.
   */
  disconnect(reason: SocketDisconnectReason): void;
  /** Ends every open socket without a close frame, as a network failure would. */
  dropConnections(): void;
  /** Acks whose envelope_id the simulator never sent. */
  unknownAcks(): number;
  envelopes: SocketEnvelopeRecord[];
  received: SocketFrameRecord[];
  connections: SocketConnectionRecord[];
}

export interface SocketModeSim {
  socket: SimSocket;
  /** The apps.connections.open answer for the app token: a URL with a fresh single-use ticket. */
  openConnectionUrl(): Record<string, unknown>;
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Clears envelopes, received frames and the unknown-ack count; connections stay. */
  reset(): void;
  /** Terminates every socket, so the HTTP server it shares can close. */
  close(): Promise<void>;
}

interface LiveConnection {
  record: SocketConnectionRecord;
  ws: WebSocket;
  /** Told to reconnect: no new envelopes go to it. */
  draining: boolean;
}

/** Slack's Socket Mode side: tickets from apps.connections.open, WebSocket links, envelopes and their acks. */
export function createSocketModeSim(deps: { origin: () => string }): SocketModeSim {
  const wss = new WebSocketServer({ noServer: true });
  const closing = new AbortController();
  const live = new Map<number, LiveConnection>();
  const connections: SocketConnectionRecord[] = [];
  const ledger = createEnvelopeLedger();
  const unusedTickets = new Set<string>();
  const closeTimers = new Set<NodeJS.Timeout>();
  let ticketCounter = 0;

  const isOpen = (conn: LiveConnection) => conn.ws.readyState === WebSocket.OPEN;
  const openCount = () => [...live.values()].filter(isOpen).length;

  function newestRoutable(): LiveConnection | undefined {
    let newest: LiveConnection | undefined;
    for (const conn of live.values()) if (isOpen(conn) && !conn.draining) newest = conn;
    return newest;
  }

  async function pollUntil<T>(check: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = check();
      if (found !== undefined) return found;
      if (closing.signal.aborted) throw new Error(`slack sim: closed while waiting for ${what}`);
      if (Date.now() >= deadline) {
        throw new Error(`slack sim: no ${what} within ${timeoutMs} ms (connections opened: ${connections.length}, open: ${openCount()})`);
      }
      await pause(10, closing.signal);
    }
  }

  function accept(ws: WebSocket, ticket: string): void {
    const record: SocketConnectionRecord = { id: connections.length + 1, ticket, openedAt: Date.now() };
    connections.push(record);
    live.set(record.id, { record, ws, draining: false });
    ws.on('message', (data) => ledger.recordFrame(record.id, frameText(data)));
    ws.on('close', (code) => {
      live.delete(record.id);
      record.closedAt = Date.now();
      record.closeCode = code;
    });
    // A malformed frame ends the connection; 'close' records that, and an unhandled 'error' would throw.
    ws.on('error', () => undefined);
    ws.send(helloFrame(openCount()));
  }

  function handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'ws://127.0.0.1');
    if (closing.signal.aborted) return refuseUpgrade(socket, 503, 'Service Unavailable');
    if (url.pathname !== '/link/') return refuseUpgrade(socket, 404, 'Not Found');
    const ticket = url.searchParams.get('ticket') ?? '';
    if (!unusedTickets.delete(ticket)) return refuseUpgrade(socket, 401, 'Unauthorized');
    wss.handleUpgrade(req, socket, head, (ws) => accept(ws, ticket));
  }

  async function send(type: SocketEnvelopeType, payload: Record<string, unknown>, opts: SocketSendOptions = {}): Promise<SocketEnvelopeRecord> {
    const conn = await pollUntil(newestRoutable, CONNECTION_WAIT_MS, 'Socket Mode connection to send to');
    const record: SocketEnvelopeRecord = { envelopeId: randomUUID(), type, payload, sentAt: Date.now(), connection: conn.record.id };
    const acked = ledger.track(record, opts.ackTimeoutMs ?? ACK_LIMIT_MS);
    conn.ws.send(
      JSON.stringify({
        envelope_id: record.envelopeId,
        type,
        payload,
        accepts_response_payload: opts.acceptsResponsePayload ?? type !== 'events_api',
        retry_attempt: opts.retryAttempt ?? 0,
        retry_reason: opts.retryReason ?? '',
      }),
    );
    return acked;
  }

  function closeLater(conn: LiveConnection, reason: SocketDisconnectReason): void {
    const timer = setTimeout(() => {
      closeTimers.delete(timer);
      // 1001 "going away": the server side of the link is being recycled.
      if (isOpen(conn)) conn.ws.close(1001, reason);
    }, CLOSE_AFTER_DISCONNECT_MS);
    closeTimers.add(timer);
  }

  function disconnect(reason: SocketDisconnectReason): void {
    const frame = disconnectFrame(reason);
    for (const conn of live.values()) {
      if (!isOpen(conn)) continue;
      conn.ws.send(frame);
      if (reason === 'warning') continue;
      conn.draining = true;
      closeLater(conn, reason);
    }
  }

  const socket: SimSocket = {
    openConnections: openCount,
    connectionsOpened: () => connections.length,
    waitForConnection: async (total = 1, timeoutMs = CONNECTION_WAIT_MS) => {
      await pollUntil(() => (connections.length >= total && newestRoutable() ? true : undefined), timeoutMs, `connection number ${total}`);
    },
    send,
    slashCommand: (p, opts) => send('slash_commands', slashCommandFields(p), opts),
    disconnect,
    dropConnections: () => {
      for (const conn of live.values()) conn.ws.terminate();
    },
    unknownAcks: ledger.unknownAcks,
    envelopes: ledger.envelopes,
    received: ledger.received,
    connections,
  };

  return {
    socket,
    openConnectionUrl: () => {
      ticketCounter += 1;
      unusedTickets.add(String(ticketCounter));
      return { ok: true, url: `${deps.origin().replace(/^http/, 'ws')}/link/?ticket=${ticketCounter}&app_id=${SIM_APP_ID}` };
    },
    handleUpgrade,
    reset: ledger.reset,
    close: async () => {
      closing.abort();
      for (const timer of closeTimers) clearTimeout(timer);
      ledger.abandonWaiting('slack sim: closed before the envelope was acked');
      for (const conn of live.values()) conn.ws.terminate();
      // In noServer mode close() waits for every tracked client's 'close', i.e. for the sockets to end.
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
