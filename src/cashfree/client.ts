import { createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Agent, RetryAgent, type Dispatcher } from 'undici';
import type { RetryHandler } from 'undici';
import type { z } from 'zod';
import { UNREADABLE_RESPONSE } from '../vkyc/schedule.js';
import { retryAfterMs } from './rate-limit-headers.js';
import {
  CashfreeError,
  errorBodySchema,
  startedVkycSchema,
  staticLinkSchema,
  vkycStateSchema,
  vkycUserSchema,
  type StartedVkyc,
  type StaticLink,
  type VkycState,
  type VkycUser,
} from './schemas.js';
import { cashfreeSignature } from './signature.js';

export interface CashfreeClientOptions {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  apiVersion: string;
  publicKeyPath?: string | undefined;
  /** Bound on one call, retries included. */
  timeoutMs: number;
  /** Retries for safe cases (429 always; 5xx and network errors on GET). */
  maxRetries?: number;
  /** Upper bound of one wait between retries, whatever the server asks. */
  maxRetryWaitMs?: number;
  now?: () => number;
}

export type VkycLookup = { verificationId: string } | { referenceId: string };

export interface VkycStatusOptions {
  /** The poller schedules its own retries; interactive commands let the client retry. */
  retry?: boolean;
}

/** POST /user. Personal data: the client sends it to Cashfree and nowhere else. */
export interface NewVkycUser {
  phone: string;
  name?: string | undefined;
  email?: string | undefined;
}

export type { NotificationType } from '../vkyc/types.js';
import type { NotificationType } from '../vkyc/types.js';

/** POST /vkyc for a user created with POST /user, named by its user_reference_id or (Start again, from GET /vkyc) its user_id. */
export type NewVkyc = {
  verificationId: string;
  userTemplate: string;
  agentTemplate: string;
  notificationTypes: readonly NotificationType[];
} & ({ userReferenceId: number } | { userId: string });

export interface CashfreeClient {
  generateStaticLink(templateName: string): Promise<StaticLink>;
  createVkycUser(user: NewVkycUser): Promise<VkycUser>;
  initiateVkyc(request: NewVkyc): Promise<StartedVkyc>;
  getVkycStatus(lookup: VkycLookup, options?: VkycStatusOptions): Promise<VkycState>;
  close(): Promise<void>;
}

const NETWORK_ERROR_CODES = [
  'ECONNRESET',
  'ECONNREFUSED',
  'ENOTFOUND',
  'ENETDOWN',
  'ENETUNREACH',
  'EHOSTDOWN',
  'EHOSTUNREACH',
  'EPIPE',
  'UND_ERR_SOCKET',
];

/** undici's retry hook, extended to honour Cashfree's X-RateLimit-* headers as well as Retry-After. */
function retryPolicy(now: () => number): RetryHandler.RetryCallback {
  return (err, { state, opts }, callback) => {
    const retry = opts.retryOptions;
    const maxRetries = retry?.maxRetries ?? 0;
    const errorCode = (err as { code?: string }).code;
    const statusCode = (err as { statusCode?: number }).statusCode;
    const headers = (err as { headers?: Record<string, string | string[] | undefined> }).headers ?? {};
    const retryable =
      state.counter <= maxRetries &&
      (retry?.methods ?? []).includes(opts.method) &&
      (statusCode !== undefined
        ? (retry?.statusCodes ?? []).includes(statusCode)
        : errorCode !== undefined && (retry?.errorCodes ?? []).includes(errorCode));
    if (!retryable) {
      callback(err);
      return;
    }
    const minTimeout = retry?.minTimeout ?? 250;
    const maxTimeout = retry?.maxTimeout ?? 5_000;
    const asked = statusCode === 429 ? retryAfterMs(headers, now()) : undefined;
    const backoff = minTimeout * (retry?.timeoutFactor ?? 2) ** (state.counter - 1);
    setTimeout(() => callback(null), Math.min(asked ?? backoff, maxTimeout));
  };
}

export function createCashfreeClient(options: CashfreeClientOptions): CashfreeClient {
  const now = options.now ?? Date.now;
  const publicKey: KeyObject | undefined =
    options.publicKeyPath === undefined ? undefined : createPublicKey(readFileSync(options.publicKeyPath));
  const agent = new Agent({
    connect: { timeout: Math.min(5_000, options.timeoutMs) },
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
    keepAliveTimeout: 10_000,
    connections: 32,
  });
  const shared = {
    maxRetries: options.maxRetries ?? 2,
    minTimeout: 250,
    maxTimeout: options.maxRetryWaitMs ?? 5_000,
    timeoutFactor: 2,
    throwOnError: false,
    retry: retryPolicy(now),
  };
  const retryingGet = new RetryAgent(agent, {
    ...shared,
    methods: ['GET'],
    statusCodes: [429, 500, 502, 503, 504],
    errorCodes: NETWORK_ERROR_CODES,
  });
  // A POST that Cashfree refused with 429 did nothing, so it is safe to repeat; nothing else is.
  const retryingPost = new RetryAgent(agent, { ...shared, methods: ['POST'], statusCodes: [429], errorCodes: [] });

  function headers(extra: Record<string, string>): Record<string, string> {
    const base: Record<string, string> = {
      'x-client-id': options.clientId,
      'x-client-secret': options.clientSecret,
      accept: 'application/json',
      ...extra,
    };
    if (publicKey !== undefined) base['x-cf-signature'] = cashfreeSignature(options.clientId, publicKey, now());
    return base;
  }

  async function call<T>(
    dispatcher: Dispatcher,
    request: { method: 'GET' | 'POST'; path: string; query?: Record<string, string>; body?: string; headers: Record<string, string> },
    schema: z.ZodType<T>,
  ): Promise<T> {
    const url = new URL(options.baseUrl + request.path);
    for (const [key, value] of Object.entries(request.query ?? {})) url.searchParams.set(key, value);
    let response: Dispatcher.ResponseData;
    let text: string;
    // The agent's connect, headers and body timeouts bound every attempt. A retried call also gets
    // one deadline over all its attempts; its timer is cleared as soon as the call ends, because at
    // thousands of polls a second, timers left to expire on their own hold tens of megabytes.
    const deadline = dispatcher === agent ? undefined : new AbortController();
    const timer = deadline && setTimeout(() => deadline.abort(new DOMException('deadline', 'TimeoutError')), options.timeoutMs);
    try {
      response = await dispatcher.request({
        origin: url.origin,
        path: url.pathname + url.search,
        method: request.method,
        headers: request.headers,
        body: request.body,
        signal: deadline?.signal,
      });
      text = await response.body.text();
    } catch (error) {
      throw networkError(error, options.timeoutMs);
    } finally {
      clearTimeout(timer);
    }
    const json = parseJson(text);
    if (response.statusCode >= 200 && response.statusCode < 300) {
      if (json === undefined) {
        // Not JSON at all: a proxy's page or a cut-off answer, the transport's fault rather than the verification's.
        throw new CashfreeError(
          response.statusCode,
          'invalid_response',
          UNREADABLE_RESPONSE,
          `Cashfree answered ${response.statusCode} with a body that is not JSON (${describeBody(text)})`,
        );
      }
      const parsed = schema.safeParse(json);
      if (parsed.success) return parsed.data;
      throw new CashfreeError(
        response.statusCode,
        'invalid_response',
        'unexpected_response',
        `Cashfree answered ${response.statusCode} with JSON the bot does not understand (${describeIssue(parsed.error.issues[0])})`,
      );
    }
    const waitMs = retryAfterMs(response.headers, now());
    const error = errorBodySchema.safeParse(json);
    if (error.success && json !== null && typeof json === 'object' && 'code' in json) {
      const { type, code, message, error: detail } = error.data;
      throw new CashfreeError(response.statusCode, type, code, message, waitMs, detail);
    }
    throw new CashfreeError(
      response.statusCode,
      'invalid_response',
      `http_${response.statusCode}`,
      `Cashfree answered HTTP ${response.statusCode} without a Cashfree error body (${describeBody(text)})`,
      waitMs,
    );
  }

  return {
    generateStaticLink(templateName) {
      return call(
        retryingPost,
        {
          method: 'POST',
          path: '/form/static-link',
          body: JSON.stringify({ template_name: templateName }),
          headers: headers({ 'content-type': 'application/json' }),
        },
        staticLinkSchema,
      );
    },
    createVkycUser(user) {
      const body = { phone: user.phone, ...(user.name === undefined ? {} : { name: user.name }), ...(user.email === undefined ? {} : { email: user.email }) };
      return call(
        retryingPost,
        { method: 'POST', path: '/user', body: JSON.stringify(body), headers: headers({ 'content-type': 'application/json', 'x-api-version': options.apiVersion }) },
        vkycUserSchema,
      );
    },
    initiateVkyc(request) {
      const body = {
        verification_id: request.verificationId,
        ...('userReferenceId' in request ? { user_reference_id: request.userReferenceId } : { user_id: request.userId }),
        user_template: request.userTemplate,
        agent_template: request.agentTemplate,
        notification_types: request.notificationTypes,
      };
      return call(
        retryingPost,
        { method: 'POST', path: '/vkyc', body: JSON.stringify(body), headers: headers({ 'content-type': 'application/json', 'x-api-version': options.apiVersion }) },
        startedVkycSchema,
      );
    },
    getVkycStatus(lookup, statusOptions) {
      const query: Record<string, string> =
        'verificationId' in lookup ? { verification_id: lookup.verificationId } : { reference_id: lookup.referenceId };
      return call(
        statusOptions?.retry === false ? agent : retryingGet,
        { method: 'GET', path: '/vkyc', query, headers: headers({ 'x-api-version': options.apiVersion }) },
        vkycStateSchema,
      );
    },
    async close() {
      await agent.close();
    },
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Names the field a schema rejected, never its value (it may be personal data). */
function describeIssue(issue: { path: readonly PropertyKey[]; code: string } | undefined): string {
  if (issue === undefined) return 'unexpected shape';
  const field = issue.path.map(String).join('.');
  return field === '' ? `unexpected shape: ${issue.code}` : `field ${field}: ${issue.code}`;
}

function describeBody(text: string): string {
  const trimmed = text.trim();
  if (trimmed === '') return 'empty body';
  if (trimmed.startsWith('<')) return 'an HTML page';
  return parseJson(trimmed) === undefined ? 'not JSON' : 'JSON of an unexpected shape';
}

function networkError(error: unknown, timeoutMs: number): CashfreeError {
  const name = error instanceof Error ? error.name : '';
  const code = (error as { code?: string } | null)?.code ?? '';
  if (name === 'TimeoutError' || name === 'AbortError' || code.startsWith('UND_ERR_') && code.includes('TIMEOUT')) {
    return new CashfreeError(0, 'network_error', 'timeout', `Cashfree did not answer within ${timeoutMs / 1000} s`);
  }
  return new CashfreeError(0, 'network_error', code === '' ? 'network_error' : code.toLowerCase(), `Could not reach Cashfree (${code || name || 'network error'})`);
}
