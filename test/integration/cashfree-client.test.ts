import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCashfreeClient, type CashfreeClient } from '../../src/cashfree/client.js';
import { CashfreeError } from '../../src/cashfree/schemas.js';
import { DOCUMENTED_ERRORS, SAMPLE_RECORDING_LINK, documentedFault, startCashfreeSim, type CashfreeSim } from '../../sim/cashfree.js';

const ID = 'cf-id';
const SECRET = 'cf-secret-value-1234';
let sim: CashfreeSim;
let client: CashfreeClient;
let dir: string;

beforeAll(async () => {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  dir = mkdtempSync(join(tmpdir(), 'cf-key-'));
  const keyPath = join(dir, 'public.pem');
  writeFileSync(keyPath, publicKey.export({ type: 'spki', format: 'pem' }));
  sim = await startCashfreeSim({
    clientId: ID,
    clientSecret: SECRET,
    signaturePrivateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  });
  client = createCashfreeClient({ baseUrl: sim.baseUrl, clientId: ID, clientSecret: SECRET, apiVersion: '2024-12-01', publicKeyPath: keyPath, timeoutMs: 1_500, maxRetryWaitMs: 200 });
});
afterAll(async () => {
  await client.close();
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

async function failure(promise: Promise<unknown>): Promise<CashfreeError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(CashfreeError);
  return error as CashfreeError;
}

describe('Cashfree client', () => {
  it('sends credentials, the API version and a fresh x-cf-signature on every request', async () => {
    await client.generateStaticLink('Aadhaar_verification');
    sim.addVerification({ verification_id: 'vk_sig' });
    await client.getVkycStatus({ verificationId: 'vk_sig' });
    const [post, get] = sim.requests.slice(-2);
    expect(post?.headers['x-client-id']).toBe(ID);
    expect(post?.headers['x-client-secret']).toBe(SECRET);
    expect(get?.headers['x-api-version']).toBe('2024-12-01');
    expect(sim.signatures.length).toBeGreaterThanOrEqual(2);
    expect(new Set(sim.signatures).size).toBe(sim.signatures.length);
  });

  it('parses a VKYC status into the domain type, keeping only whether a recording exists', async () => {
    const ref = sim.addVerification({ verification_id: 'vk_parse' });
    sim.setState('vk_parse', { status: 'VIDEO_CALL', sub_status: 'CALL_COMPLETED', recording_link: SAMPLE_RECORDING_LINK });
    const state = await client.getVkycStatus({ referenceId: String(ref) });
    expect(state).toMatchObject({ verificationId: 'vk_parse', referenceId: ref, status: 'VIDEO_CALL', subStatus: 'CALL_COMPLETED', hasRecording: true });
    expect(JSON.stringify(state)).not.toContain('X-Amz');
  });

  it('turns every documented error into one typed error with status, type, code and message', async () => {
    for (const [key, documented] of Object.entries(DOCUMENTED_ERRORS)) {
      sim.fail(documentedFault(key as keyof typeof DOCUMENTED_ERRORS), { op: 'static-link', times: documented.status === 429 ? 3 : 1 });
      const error = await failure(client.generateStaticLink('Aadhaar_verification'));
      expect([error.status, error.type, error.code, error.message]).toEqual([
        documented.status, documented.body.type, documented.body.code, documented.body.message,
      ]);
    }
  });

  it('retries a 429 honouring Retry-After, and a 5xx only on GET', async () => {
    sim.fail(documentedFault('too_many_requests_per_ip', { 'retry-after': '0' }), { op: 'static-link', times: 1 });
    await expect(client.generateStaticLink('Aadhaar_verification')).resolves.toMatchObject({ status: 'ACTIVE' });

    sim.fail(documentedFault('request_failed'), { op: 'static-link', times: 1 });
    const before = sim.requests.length;
    expect((await failure(client.generateStaticLink('Aadhaar_verification'))).status).toBe(500);
    expect(sim.requests.length - before).toBe(1);

    sim.addVerification({ verification_id: 'vk_retry' });
    sim.fail({ kind: 'error', status: 503, body: {} }, { op: 'vkyc', times: 1 });
    sim.fail({ kind: 'close' }, { op: 'vkyc', times: 1 });
    await expect(client.getVkycStatus({ verificationId: 'vk_retry' })).resolves.toMatchObject({ verificationId: 'vk_retry' });
  });

  it('does not retry when the caller schedules its own retries', async () => {
    sim.addVerification({ verification_id: 'vk_noretry' });
    sim.fail({ kind: 'error', status: 503, body: {} }, { op: 'vkyc', times: 1 });
    const error = await failure(client.getVkycStatus({ verificationId: 'vk_noretry' }, { retry: false }));
    expect(error.isTransient).toBe(true);
  });

  it('turns HTML, truncated JSON, hangs and resets into typed errors', async () => {
    sim.addVerification({ verification_id: 'vk_bad' });
    sim.fail({ kind: 'html', status: 502 }, { op: 'vkyc', times: 3 });
    expect((await failure(client.getVkycStatus({ verificationId: 'vk_bad' }))).code).toBe('http_502');
    // A body that is not JSON is the transport's fault (the poller's breaker counts it); JSON of another shape names the field.
    sim.fail({ kind: 'truncated' }, { op: 'vkyc', times: 1 });
    expect((await failure(client.getVkycStatus({ verificationId: 'vk_bad' }))).code).toBe('unreadable_response');
    sim.fail({ kind: 'error', status: 200, body: { verification_id: 'vk_bad', status: 42 } }, { op: 'vkyc', times: 1 });
    const mismatch = await failure(client.getVkycStatus({ verificationId: 'vk_bad' }));
    expect(mismatch.code).toBe('unexpected_response');
    expect(mismatch.message).toContain('field status');
    sim.fail({ kind: 'hang' }, { op: 'vkyc', times: 1 });
    expect((await failure(client.getVkycStatus({ verificationId: 'vk_bad' }, { retry: false }))).code).toBe('timeout');
    sim.fail({ kind: 'close' }, { op: 'vkyc', times: 1 });
    expect((await failure(client.getVkycStatus({ verificationId: 'vk_bad' }, { retry: false }))).status).toBe(0);
  });
});
