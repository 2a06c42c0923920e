import type { IncomingMessage, ServerResponse } from 'node:http';
import { checkCredentials } from './cashfree-auth.js';
import { validationError, type CashfreeFault } from './cashfree-errors.js';
import { createFaultQueue, serveFault, type CashfreeOp } from './cashfree-faults.js';
import type { VkycStep } from './cashfree-journeys.js';
import { answerStaticLink } from './cashfree-static-link.js';
import {
  createVerificationStore,
  type NewVerification,
  type VkycStatePatch,
  type VkycStatusBody,
} from './cashfree-verifications.js';
import { answerVkycStatus } from './cashfree-vkyc.js';
import { createWebhookSender, type SentWebhook, type WebhookOptions } from './cashfree-webhooks.js';
import { createUserStore } from './cashfree-vkyc-create.js';
import { flattenHeaders, listenOnLoopback, pause, sendJson } from './local-server.js';

export { DOCUMENTED_ERRORS, documentedFault, type CashfreeFault, type DocumentedErrorKey } from './cashfree-errors.js';
export { REJECTED_JOURNEY, SAMPLE_RECORDING_LINK, STANDARD_JOURNEY, type VkycStep } from './cashfree-journeys.js';
export { SIM_QR_CODE_PNG_BASE64, staticLinkFor } from './cashfree-static-link.js';
export type { CashfreeOp } from './cashfree-faults.js';
export { signWebhook, webhookBody, webhookEventFor, type SentWebhook, type WebhookOptions } from './cashfree-webhooks.js';
export type { SimUser } from './cashfree-vkyc-create.js';
export type { NewVerification, VkycStatePatch, VkycStatusBody } from './cashfree-verifications.js';

export interface CashfreeSimOptions {
  clientId: string;
  clientSecret: string;
  /** Templates that exist; default ['Aadhaar_verification']. */
  templates?: string[];
  latencyMs?: number;
  /** When set, every request must carry a valid x-cf-signature. */
  signaturePrivateKeyPem?: string;
}

export interface SimRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | undefined>;
  body: string;
  /** Date.now() when received. */
  at: number;
  op: CashfreeOp | 'other';
}

export interface CashfreeSim {
  /** http://127.0.0.1:<port>/verification */
  baseUrl: string;
  requests: SimRequest[];
  /** Valid x-cf-signature values received, in order. */
  signatures: string[];
  setLatency(ms: number): void;
  setTemplates(names: string[]): void;
  fail(fault: CashfreeFault, opts?: { op?: CashfreeOp; times?: number }): void;
  /** Returns the reference_id. */
  addVerification(v: NewVerification): number;
  /** Moves to the next step (stays at the last) and returns it. */
  advance(verificationId: string): VkycStep;
  setState(verificationId: string, patch: VkycStatePatch): VkycStatusBody;
  state(verificationId: string): VkycStatusBody;
  /** Request bodies of POST /user and POST /vkyc, parsed, in order (personal data included: tests assert what Cashfree received). */
  bodies(op: 'user' | 'vkyc-create'): Record<string, unknown>[];
  /** POST /vkyc answers 200 with REJECTED / INSUFFICIENT_BALANCE while on. */
  setRejectForBalance(on: boolean): void;
  /** Successful GET /vkyc answers for this verification. */
  pollCount(verificationId: string): number;
  /** Where state changes are pushed as signed webhooks (as set in Cashfree's dashboard); undefined stops them. */
  setWebhookUrl(url: string | undefined): void;
  /** Sends one webhook body (a string is sent as is), signed unless opts say otherwise. */
  sendWebhook(body: string | Record<string, unknown>, opts?: WebhookOptions): Promise<SentWebhook>;
  /** Every webhook sent, with the bot's answer. */
  webhooks: SentWebhook[];
  close(): Promise<void>;
}

function operationOf(method: string, path: string): CashfreeOp | 'other' {
  if (method === 'POST' && path === '/verification/form/static-link') return 'static-link';
  if (method === 'GET' && path === '/verification/vkyc') return 'vkyc';
  if (method === 'POST' && path === '/verification/vkyc') return 'vkyc-create';
  if (method === 'POST' && path === '/verification/user') return 'user';
  return 'other';
}

function isOperation(request: SimRequest): request is SimRequest & { op: CashfreeOp } {
  return request.op !== 'other';
}

export async function startCashfreeSim(opts: CashfreeSimOptions): Promise<CashfreeSim> {
  const requests: SimRequest[] = [];
  const signatures: string[] = [];
  const faults = createFaultQueue();
  const webhooks = createWebhookSender(opts.clientSecret);
  const verifications = createVerificationStore((state) => webhooks.notify(state));
  const users = createUserStore(verifications);
  let templates = new Set(opts.templates ?? ['Aadhaar_verification']);
  let latencyMs = opts.latencyMs ?? 0;

  async function handle(req: IncomingMessage, res: ServerResponse, rawBody: Buffer, closing: AbortSignal): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const request: SimRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: flattenHeaders(req),
      body: rawBody.toString('utf8'),
      at: Date.now(),
      op: operationOf(req.method ?? 'GET', url.pathname),
    };
    requests.push(request);
    const fault = faults.take(request.op);
    await pause(latencyMs, closing);
    if (fault && (await serveFault(fault, req, res, closing))) return;

    if (!isOperation(request)) {
      sendJson(res, 404, { type: 'validation_error', code: 'route_not_found', message: `${request.method} ${request.path} does not exist` });
      return;
    }
    const authError = checkCredentials(request.headers, opts, (signature) => signatures.push(signature));
    const answer = authError ?? answerOperation(request);
    sendJson(res, answer.status, answer.body);
  }

  function answerOperation(request: SimRequest & { op: CashfreeOp }): { status: number; body: unknown } {
    if (request.op === 'static-link') return answerStaticLink(request.body, templates);
    if (!request.headers['x-api-version']) return validationError(400, 'x-api-version_missing', 'x-api-version is missing in the request.');
    if (request.op === 'user') return users.createUser(request.body);
    if (request.op === 'vkyc-create') return users.createVkyc(request.body);
    return answerVkycStatus(request.headers, request.query, verifications);
  }

  const server = await listenOnLoopback(handle);
  return {
    baseUrl: `http://127.0.0.1:${server.port}/verification`,
    requests,
    signatures,
    setLatency: (ms) => {
      latencyMs = ms;
    },
    setTemplates: (names) => {
      templates = new Set(names);
    },
    fail: (fault, failOpts) => faults.add(fault, failOpts?.op, failOpts?.times ?? 1),
    bodies: (op) =>
      requests.filter((r) => r.op === op).map((r) => {
        try {
          const parsed: unknown = JSON.parse(r.body);
          return typeof parsed === 'object' && parsed !== null ? Object.fromEntries(Object.entries(parsed)) : {};
        } catch {
          return { raw: r.body };
        }
      }),
    setRejectForBalance: users.setRejectForBalance,
    addVerification: verifications.add,
    advance: verifications.advance,
    setState: verifications.setState,
    state: verifications.state,
    pollCount: verifications.pollCount,
    setWebhookUrl: webhooks.setUrl,
    sendWebhook: (body, webhookOpts) => webhooks.send(typeof body === 'string' ? body : JSON.stringify(body), webhookOpts),
    webhooks: webhooks.sent,
    close: server.close,
  };
}
