import type { IncomingMessage, ServerResponse } from 'node:http';
import { pause, send, sendJson } from './local-server.js';

/** How the simulator misbehaves for one call. */
export type SlackFault =
  /** HTTP 200 {ok:false, error} (an upload answers HTTP 400 with the error text instead). */
  | { error: string }
  /** This HTTP status, with Retry-After when given; 429 answers {ok:false,error:'ratelimited'}, others text. */
  | { status: number; retryAfter?: number }
  /** Destroys the socket without an answer. */
  | { close: true }
  /** Answers normally, but late. */
  | { delayMs: number }
  /** Does the work (the message is posted), then destroys the socket: the caller cannot know it succeeded. */
  | { dropAnswer: true };

/** Faults queued per Web API method name ('upload' for the upload URL). */
export function createSlackFaultQueue() {
  const queues = new Map<string, SlackFault[]>();
  return {
    add(method: string, fault: SlackFault, times: number): void {
      const queue = queues.get(method) ?? [];
      for (let i = 0; i < times; i += 1) queue.push(fault);
      queues.set(method, queue);
    },
    take: (method: string): SlackFault | undefined => queues.get(method)?.shift(),
  };
}

/** Serves a fault; returns false for a delay (answer normally afterwards), true when the call failed. */
export async function serveSlackFault(
  fault: SlackFault,
  req: IncomingMessage,
  res: ServerResponse,
  closing: AbortSignal,
  surface: 'api' | 'upload',
): Promise<boolean> {
  if ('delayMs' in fault) {
    await pause(fault.delayMs, closing);
    return false;
  }
  if ('dropAnswer' in fault) return false;
  if ('close' in fault) {
    req.socket.destroy();
  } else if ('error' in fault) {
    if (surface === 'api') sendJson(res, 200, { ok: false, error: fault.error });
    else send(res, 400, fault.error, { 'content-type': 'text/plain' });
  } else {
    const headers: Record<string, string> = fault.retryAfter === undefined ? {} : { 'retry-after': String(fault.retryAfter) };
    if (fault.status === 429) sendJson(res, 429, { ok: false, error: 'ratelimited' }, headers);
    else send(res, fault.status, `simulated HTTP ${fault.status}`, { 'content-type': 'text/plain', ...headers });
  }
  return true;
}
