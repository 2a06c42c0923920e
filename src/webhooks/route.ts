import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Route } from '../http/routes.js';
import type { Logger } from '../log.js';
import type { Store } from '../store/store.js';
import { eventKeys, parseWebhook } from './schema.js';
import { isSignedByCashfree } from './signature.js';

/** Larger bodies are refused before they are read further: a VKYC event is a few hundred bytes. */
export const MAX_WEBHOOK_BYTES = 64 * 1024;

export interface WebhookRouteDeps {
  clientSecret: string;
  store: Store;
  logger: Logger;
  now: () => number;
  /** Called after a new event is stored and answered, to process it at once. */
  onStored: () => void;
}

/**
 * `POST /cashfree/webhook`. The answer is 200 only once the event is in SQLite; a redelivery of the
 * same event is answered 200 and stored once. Unsigned or wrongly signed: 401, nothing stored.
 */
export function webhookRoute(deps: WebhookRouteDeps): Route {
  return {
    path: '/cashfree/webhook',
    method: ['POST'],
    handler: (req, res) => {
      receive(deps, req, res).catch((error: unknown) => {
        deps.logger.error('webhook not stored', { error });
        answer(res, 500, { error: 'not stored; retry' });
      });
    },
  };
}

async function receive(deps: WebhookRouteDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readCapped(req, MAX_WEBHOOK_BYTES);
  if (body === undefined) {
    deps.logger.warn('webhook refused: body too large', { limit_bytes: MAX_WEBHOOK_BYTES });
    answer(res, 413, { error: `body larger than ${MAX_WEBHOOK_BYTES} bytes` }, true);
    return;
  }
  const timestamp = header(req, 'x-webhook-timestamp');
  if (!isSignedByCashfree(deps.clientSecret, timestamp, header(req, 'x-webhook-signature'), body)) {
    deps.logger.warn('webhook refused: missing or wrong signature', { has_signature: header(req, 'x-webhook-signature') !== undefined });
    answer(res, 401, { error: 'invalid signature' });
    return;
  }
  const parsed = parseWebhook(body);
  if (!parsed.ok) {
    deps.logger.warn('webhook refused: signed but unreadable', { reason: parsed.reason, bytes: body.length });
    answer(res, 400, { error: parsed.reason });
    return;
  }
  const { event } = parsed;
  const fresh = deps.store.push.recordEvent(eventKeys(event), event, deps.now());
  answer(res, 200, { ok: true, duplicate: !fresh });
  deps.logger.info('webhook received', {
    event_type: event.eventType,
    verification_id: event.verificationId,
    reference_id: event.referenceId,
    attempt: header(req, 'x-webhook-attempt'),
    duplicate: !fresh,
  });
  if (fresh) deps.onStored();
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function answer(res: ServerResponse, status: number, body: Record<string, unknown>, close = false): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': 'application/json', ...(close ? { connection: 'close' } : {}) });
  res.end(JSON.stringify(body));
}

/** The raw body, or undefined as soon as it passes `limit` bytes (the rest is discarded unread). */
function readCapped(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    return Promise.resolve(undefined);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
