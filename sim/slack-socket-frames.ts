import type { Duplex } from 'node:stream';
import type { RawData } from 'ws';

export const SIM_APP_ID = 'A0KYC';

/** What Slack sends first on a new link; the client's start() resolves on it. */
export function helloFrame(numConnections: number): string {
  return JSON.stringify({
    type: 'hello',
    num_connections: numConnections,
    debug_info: { host: 'sim', approximate_connection_time: 18060 },
    connection_info: { app_id: SIM_APP_ID },
  });
}

export function disconnectFrame(reason: string): string {
  return JSON.stringify({ type: 'disconnect', reason, debug_info: { host: 'sim' } });
}

export function frameText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(data).toString('utf8');
}

export function asObject(value: unknown): Record<string, unknown> | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  return Object.fromEntries(Object.entries(value));
}

export function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    return asObject(JSON.parse(text));
  } catch {
    return undefined;
  }
}

/** Answers an upgrade the simulator refuses the way ws does: write the status, then end the socket. */
export function refuseUpgrade(socket: Duplex, status: number, text: string): void {
  socket.once('finish', () => socket.destroy());
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
