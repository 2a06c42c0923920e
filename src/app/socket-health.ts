import type { SocketModeReceiver } from '@slack/bolt';

type SocketModeClient = SocketModeReceiver['client'];

/** How the Socket Mode connection stands, for `/healthz` and the metrics. */
export interface SocketHealth {
  status: 'connecting' | 'connected' | 'reconnecting';
  /** When the connection was last lost (or first attempted); undefined while connected. */
  downSince: number | undefined;
  reconnections: number;
}

/** A bot that cannot reach Slack for longer than this reports unhealthy, so an orchestrator restarts it. */
export const SOCKET_DOWN_LIMIT_MS = 60_000;

/** Healthy while connected, and for a grace period while it reconnects. */
export function isSocketHealthy(health: SocketHealth, nowMs: number, limitMs = SOCKET_DOWN_LIMIT_MS): boolean {
  return health.downSince === undefined || nowMs - health.downSince <= limitMs;
}

/** Follows the Socket Mode client's state events; `onReconnected` fires for every connection after the first. */
export function watchSocket(client: SocketModeClient, now: () => number, onReconnected: () => void): SocketHealth {
  const health: SocketHealth = { status: 'connecting', downSince: now(), reconnections: 0 };
  let connectedBefore = false;
  const down = () => {
    health.status = connectedBefore ? 'reconnecting' : 'connecting';
    health.downSince ??= now();
  };
  client.on('connected', () => {
    if (connectedBefore) {
      health.reconnections += 1;
      onReconnected();
    }
    connectedBefore = true;
    health.status = 'connected';
    health.downSince = undefined;
  });
  // 'close' is the socket dropping (abruptly or after a `disconnect` message); 'reconnecting' comes ~5 s later.
  client.on('close', down);
  client.on('reconnecting', down);
  client.on('disconnected', down);
  return health;
}
