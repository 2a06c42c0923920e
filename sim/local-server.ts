import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';

/** closing is aborted when the server closes, so pending delays end instead of keeping the process alive. */
export type RequestListener = (req: IncomingMessage, res: ServerResponse, body: Buffer, closing: AbortSignal) => Promise<void>;

/**
 * Takes over a connection that asked for an HTTP upgrade (a WebSocket). Upgraded sockets leave the HTTP
 * server's bookkeeping, so whoever accepts them must end them before close() can finish.
 */
export type UpgradeListener = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

export interface LocalServer {
  port: number;
  close(): Promise<void>;
}

/** An HTTP server on 127.0.0.1 with a random port whose close() also ends hung and keep-alive connections. */
export async function listenOnLoopback(listener: RequestListener, onUpgrade?: UpgradeListener): Promise<LocalServer> {
  const closing = new AbortController();
  const server = createServer((req, res) => {
    readBody(req)
      .then((body) => listener(req, res, body, closing.signal))
      .catch((error: unknown) => answerInternalError(res, error));
  });
  if (onUpgrade) server.on('upgrade', onUpgrade);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        closing.abort();
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** Waits ms, or less if the server closes meanwhile. */
export async function pause(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0) return;
  await delay(ms, undefined, { signal }).catch(() => undefined);
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  send(res, status, JSON.stringify(body), { 'content-type': 'application/json; charset=utf-8', ...headers });
}

export function send(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  if (res.writableEnded || res.destroyed) return;
  res.writeHead(status, { 'content-length': String(Buffer.byteLength(text)), ...headers });
  res.end(text);
}

export function flattenHeaders(req: IncomingMessage): Record<string, string | undefined> {
  const flat: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    flat[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks);
}

function answerInternalError(res: ServerResponse, error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  send(res, 500, `simulator error: ${message}`, { 'content-type': 'text/plain' });
}
