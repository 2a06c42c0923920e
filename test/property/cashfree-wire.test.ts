import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCashfreeClient, type CashfreeClient } from '../../src/cashfree/client.js';
import { CashfreeError, errorBodySchema, staticLinkSchema, vkycStateSchema, type StaticLink, type VkycState } from '../../src/cashfree/schemas.js';
import { SAMPLE_RECORDING_LINK } from '../../sim/cashfree.js';
import { PROPERTY_SETTINGS, hostileText } from '../helpers/hostile.js';

/**
 * Whatever Cashfree (or a proxy in front of it) answers, the client returns a
 * valid domain object or throws a CashfreeError: never another error, never a hang.
 */
fc.configureGlobal(PROPERTY_SETTINGS);

const GOOD_VKYC = {
  verification_id: 'vkyc_1',
  reference_id: 10001,
  user_reference_id: 20001,
  user_id: 'user_1',
  status: 'PRE_VIDEO_CALL',
  sub_status: 'USER_QUEUED',
  vkyc_link: 'https://forms.cashfree.com/verification/abc',
  link_expiry: '2025-07-16T08:48:09.000Z',
  recording_link: SAMPLE_RECORDING_LINK,
  meeting_schedule: null,
  agent_remarks: null,
  auditor_remarks: null,
};

const GOOD_LINK = {
  static_link: 'https://forms.cashfree.com/verification/global-link/abc',
  qr_code: 'iVBORw0KGgo=',
  status: 'ACTIVE',
  template_name: 'Aadhaar_verification',
};

/** A JSON value of any shape, including huge strings. */
const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 4000, maxLength: 4096 }) },
  { weight: 1, arbitrary: fc.integer({ min: 10_000, max: 200_000 }).map((n) => 'x'.repeat(n)) },
);

/** A good body with fields dropped, retyped or added. */
function mutated(good: Record<string, unknown>): fc.Arbitrary<Record<string, unknown>> {
  const keys = Object.keys(good);
  return fc
    .record({
      drop: fc.subarray(keys, { maxLength: 3 }),
      retype: fc.dictionary(fc.constantFrom(...keys), anyJson, { maxKeys: 3 }),
      extra: fc.dictionary(fc.string({ maxLength: 20 }), anyJson, { maxKeys: 4 }),
    })
    .map(({ drop, retype, extra }) => {
      const body: Record<string, unknown> = { ...extra, ...good, ...retype };
      for (const key of drop) delete body[key];
      return body;
    });
}

/** What the client must accept: the fields the bot relies on are there and of the right type. */
function acceptableVkyc(body: unknown): boolean {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return false;
  const b = body as Record<string, unknown>;
  const subStatus = b['sub_status'];
  return (
    typeof b['verification_id'] === 'string' &&
    b['verification_id'] !== '' &&
    typeof b['status'] === 'string' &&
    b['status'].trim() !== '' &&
    (subStatus === undefined || subStatus === null || typeof subStatus === 'string')
  );
}

function checkVkycState(state: VkycState): void {
  expect(typeof state.verificationId).toBe('string');
  expect(state.verificationId.length).toBeGreaterThan(0);
  expect(state.status.trim()).toBe(state.status);
  expect(state.status.length).toBeGreaterThan(0);
  expect(typeof state.subStatus).toBe('string');
  if (state.referenceId !== undefined) expect(Number.isSafeInteger(state.referenceId) || Number.isInteger(state.referenceId)).toBe(true);
  for (const value of [state.userId, state.linkExpiry, state.meetingSchedule]) {
    if (value !== undefined) expect(typeof value === 'string' && value !== '').toBe(true);
  }
  expect(typeof state.hasRecording).toBe('boolean');
  // Only whether a recording exists leaves the client, never its URL.
  const keys = Object.keys(state).filter((key) => key !== 'remarks');
  expect(keys.sort()).toEqual(['hasRecording', 'linkExpiry', 'meetingSchedule', 'referenceId', 'status', 'subStatus', 'userId', 'verificationId']);
  // Remarks appear only when Cashfree gave some text, each trimmed and non-empty.
  if (state.remarks !== undefined) {
    const given = [state.remarks.agent, state.remarks.auditor].filter((text) => text !== undefined);
    expect(given.length).toBeGreaterThan(0);
    for (const text of given) expect(text !== '' && text.trim() === text).toBe(true);
  }
  expect(JSON.stringify(state)).not.toContain('X-Amz');
}

function checkStaticLink(link: StaticLink): void {
  expect(link.link).toMatch(/^https?:/);
  expect(typeof link.status).toBe('string');
  expect(link.templateName.length).toBeGreaterThan(0);
}

describe('wire schemas (src/cashfree/schemas.ts)', () => {
  it('vkycStateSchema: never throws; accepts exactly the bodies with the fields the bot needs, whatever else they hold', () => {
    fc.assert(
      fc.property(fc.oneof(mutated(GOOD_VKYC), anyJson), (body) => {
        const parsed = vkycStateSchema.safeParse(body);
        expect(parsed.success).toBe(acceptableVkyc(body));
        if (parsed.success) checkVkycState(parsed.data);
      }),
      { numRuns: 1500 },
    );
  });

  it('staticLinkSchema and errorBodySchema: never throw; what they accept is well-typed', () => {
    fc.assert(
      fc.property(fc.oneof(mutated(GOOD_LINK), anyJson), fc.oneof(mutated({ type: 'validation_error', code: 'x', message: 'y' }), anyJson), (link, error) => {
        const parsedLink = staticLinkSchema.safeParse(link);
        if (parsedLink.success) checkStaticLink(parsedLink.data);
        const parsedError = errorBodySchema.safeParse(error);
        expect(parsedError.success).toBe(typeof error === 'object' && error !== null && !Array.isArray(error));
        if (parsedError.success) {
          for (const field of [parsedError.data.type, parsedError.data.code, parsedError.data.message]) expect(typeof field).toBe('string');
        }
      }),
      { numRuns: 1000 },
    );
  });
});

/** One answer of the fake Cashfree: a body with a status, or a broken connection of some kind. */
type Answer =
  | { kind: 'body'; status: number; headers: Record<string, string>; body: string | Uint8Array }
  | { kind: 'close' }
  | { kind: 'partial' }
  | { kind: 'raw'; bytes: string }
  | { kind: 'hang' };

const CONTENT_TYPES = ['application/json', 'application/json; charset=utf-8', 'text/html', 'text/plain', 'application/octet-stream', 'application/x-gzip'];

const headers = fc.record(
  {
    'content-type': fc.constantFrom(...CONTENT_TYPES),
    'retry-after': fc.oneof(fc.constantFrom('0', '1', '-5', 'soon', 'Wed, 21 Oct 2015 07:28:00 GMT', '1e400', 'NaN', ''), fc.nat({ max: 100 }).map(String)),
    'x-ratelimit-retry': fc.constantFrom('0', '2', 'x'),
    'content-encoding': fc.constantFrom('gzip', 'br', 'identity'),
  },
  { requiredKeys: ['content-type'] },
);

function bodyText(good: Record<string, unknown>): fc.Arbitrary<string | Uint8Array> {
  return fc.oneof(
    { weight: 4, arbitrary: mutated(good).map((b) => JSON.stringify(b)) },
    { weight: 2, arbitrary: fc.constant(JSON.stringify(good)) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v) ?? 'null') },
    { weight: 1, arbitrary: fc.tuple(fc.constant(JSON.stringify(good)), fc.nat()).map(([text, n]) => text.slice(0, n % text.length)) },
    { weight: 1, arbitrary: fc.constant('<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>') },
    { weight: 1, arbitrary: fc.record({ type: hostileText(), code: hostileText(), message: hostileText() }).map((b) => JSON.stringify(b)) },
    { weight: 1, arbitrary: hostileText() },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }) },
    { weight: 1, arbitrary: fc.constant(JSON.stringify({ ...good, huge: 'x'.repeat(1_000_000) })) },
  );
}

function answers(good: Record<string, unknown>): fc.Arbitrary<Answer> {
  const status = fc.oneof(fc.constantFrom(200, 200, 200, 201, 204, 302, 400, 401, 403, 404, 422, 429, 500, 502, 503, 504), fc.integer({ min: 200, max: 599 }));
  return fc.oneof(
    { weight: 30, arbitrary: fc.record({ kind: fc.constant('body' as const), status, headers, body: bodyText(good) }) },
    { weight: 2, arbitrary: fc.constant({ kind: 'close' as const }) },
    { weight: 2, arbitrary: fc.constant({ kind: 'partial' as const }) },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant('raw' as const),
        bytes: fc.constantFrom('garbage\r\n\r\n', 'HTTP/1.1 200 OK\r\nContent-Length: abc\r\n\r\n{}', 'HTTP/1.1 999 Odd\r\n\r\n', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n'),
      }),
    },
    { weight: 1, arbitrary: fc.constant({ kind: 'hang' as const }) },
  );
}

/** A fake Cashfree on 127.0.0.1 that answers whatever the property says next. */
let server: Server;
let next: Answer = { kind: 'close' };
const sockets = new Set<Socket>();
let baseUrl = '';

function serve(req: IncomingMessage, res: ServerResponse): void {
  req.resume();
  req.on('end', () => {
    const answer = next;
    switch (answer.kind) {
      case 'body':
        try {
          res.writeHead(answer.status, answer.headers);
        } catch {
          res.writeHead(answer.status);
        }
        res.end(answer.body);
        return;
      case 'close':
        req.socket.destroy();
        return;
      case 'partial':
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '5000' });
        res.write('{"verification_id": "vkyc_1", "sta');
        setImmediate(() => req.socket.destroy());
        return;
      case 'raw':
        req.socket.end(answer.bytes);
        return;
      case 'hang':
        return;
    }
  });
}

beforeAll(async () => {
  server = createServer(serve);
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/verification`;
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise<void>((done) => server.close(() => done()));
});

function client(): CashfreeClient {
  return createCashfreeClient({
    baseUrl,
    clientId: 'id',
    clientSecret: 'secret',
    apiVersion: '2024-12-01',
    timeoutMs: 400,
    maxRetries: 2,
    maxRetryWaitMs: 10,
  });
}

/** Runs a call and says how it ended; a call still running after 5 s is a hang. */
async function outcome<T>(call: Promise<T>): Promise<{ value: T } | { error: unknown }> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, fail) => {
    timer = setTimeout(() => fail(new Error('the client hung')), 5_000);
  });
  try {
    return { value: await Promise.race([call, hang]) };
  } catch (error) {
    if (error instanceof Error && error.message === 'the client hung') throw error;
    return { error };
  } finally {
    clearTimeout(timer);
  }
}

function checkError(error: unknown, answer: Answer): void {
  expect(error).toBeInstanceOf(CashfreeError);
  const e = error as CashfreeError;
  expect(typeof e.code).toBe('string');
  expect(Number.isInteger(e.status)).toBe(true);
  if (e.retryAfterMs !== undefined) expect(Number.isFinite(e.retryAfterMs) && e.retryAfterMs >= 0).toBe(true);
  expect(e.message).not.toContain('X-Amz');
  if (answer.kind === 'close' || answer.kind === 'partial' || answer.kind === 'hang') expect(e.status).toBe(0);
}

describe('the Cashfree client against a misbehaving server', () => {
  it('GET /vkyc (poller, no retries): a VkycState or a CashfreeError, never a hang', async () => {
    const cashfree = client();
    try {
      await fc.assert(
        fc.asyncProperty(answers(GOOD_VKYC), async (answer) => {
          next = answer;
          const result = await outcome(cashfree.getVkycStatus({ verificationId: 'vkyc_1' }, { retry: false }));
          if ('value' in result) {
            expect(answer.kind).toBe('body');
            checkVkycState(result.value);
            return;
          }
          checkError(result.error, answer);
          // 204 and 205 carry no body on the wire, whatever the server meant to send.
          const hasBody = answer.kind === 'body' && answer.status !== 204 && answer.status !== 205;
          if (hasBody && answer.status >= 200 && answer.status < 300 && typeof answer.body === 'string') {
            let json: unknown;
            try {
              json = JSON.parse(answer.body);
            } catch {
              json = undefined;
            }
            // A 2xx with the fields the bot needs is tolerated, whatever else it holds.
            expect(acceptableVkyc(json)).toBe(false);
          }
        }),
        { numRuns: 300 },
      );
    } finally {
      await cashfree.close();
    }
  }, 60_000);

  it('POST /form/static-link and GET /vkyc with retries: a domain object or a CashfreeError, never a hang', async () => {
    const cashfree = client();
    try {
      await fc.assert(
        fc.asyncProperty(answers(GOOD_LINK), answers(GOOD_VKYC), async (linkAnswer, vkycAnswer) => {
          next = linkAnswer;
          const link = await outcome(cashfree.generateStaticLink('Aadhaar_verification'));
          if ('value' in link) checkStaticLink(link.value);
          else checkError(link.error, linkAnswer);
          next = vkycAnswer;
          const state = await outcome(cashfree.getVkycStatus({ referenceId: '10001' }, { retry: true }));
          if ('value' in state) checkVkycState(state.value);
          else checkError(state.error, vkycAnswer);
        }),
        { numRuns: 120 },
      );
    } finally {
      await cashfree.close();
    }
  }, 60_000);
});
