import { constants, generateKeyPairSync, publicEncrypt } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { DOCUMENTED_ERRORS, startCashfreeSim, type CashfreeSim } from '../../sim/cashfree.js';

const credentials = { clientId: 'CF_TEST_ID', clientSecret: 'cf_test_secret' };
const headers = { 'content-type': 'application/json', 'x-client-id': credentials.clientId, 'x-client-secret': credentials.clientSecret };

let sim: CashfreeSim | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function createLink(base: string, body: unknown, extraHeaders: Record<string, string> = {}) {
  const res = await fetch(`${base}/form/static-link`, { method: 'POST', headers: { ...headers, ...extraHeaders }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('cashfree sim: POST /form/static-link', () => {
  it('answers a deterministic link and a bare base64 PNG', async () => {
    sim = await startCashfreeSim(credentials);
    const first = await createLink(sim.baseUrl, { template_name: 'Aadhaar_verification' });
    const again = await createLink(sim.baseUrl, { template_name: 'Aadhaar_verification' });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ status: 'ACTIVE', template_name: 'Aadhaar_verification' });
    expect(first.body['static_link']).toMatch(/^https:\/\/forms\.cashfree\.com\/verification\/global-link\/[a-z0-9]{10}$/);
    expect(again.body['static_link']).toBe(first.body['static_link']);
    expect(String(first.body['qr_code']).startsWith('iVBORw0KGgo')).toBe(true);
    expect(sim.requests[0]).toMatchObject({ method: 'POST', path: '/verification/form/static-link', op: 'static-link' });
  });

  it('rejects bad credentials and bad template names as documented', async () => {
    sim = await startCashfreeSim({ ...credentials, templates: ['kyc.basic'] });
    expect(await createLink(sim.baseUrl, { template_name: 'kyc.basic' }, { 'x-client-secret': 'wrong' })).toEqual(DOCUMENTED_ERRORS.authentication_failed);
    expect(await createLink(sim.baseUrl, {})).toEqual(DOCUMENTED_ERRORS.template_name_missing);
    expect(await createLink(sim.baseUrl, { template_name: 'bad name!' })).toEqual(DOCUMENTED_ERRORS.template_name_value_invalid);
    expect(await createLink(sim.baseUrl, { template_name: 'Aadhaar_verification' })).toEqual(DOCUMENTED_ERRORS.template_name_not_found);
    sim.setTemplates(['Aadhaar_verification']);
    expect((await createLink(sim.baseUrl, { template_name: 'Aadhaar_verification' })).status).toBe(200);
  });

  it('requires a fresh x-cf-signature when Public Key 2FA is on', async () => {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    sim = await startCashfreeSim({ ...credentials, signaturePrivateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() });
    const sign = (seconds: number) =>
      publicEncrypt(
        { key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' },
        Buffer.from(`${credentials.clientId}.${seconds}`),
      ).toString('base64');
    const now = Math.floor(Date.now() / 1000);
    const body = { template_name: 'Aadhaar_verification' };

    expect(await createLink(sim.baseUrl, body)).toEqual(DOCUMENTED_ERRORS.signature_missing);
    expect(await createLink(sim.baseUrl, body, { 'x-cf-signature': sign(now - 600) })).toEqual(DOCUMENTED_ERRORS.authentication_failed);
    expect(await createLink(sim.baseUrl, body, { 'x-cf-signature': 'bm90IGEgc2lnbmF0dXJl' })).toEqual(DOCUMENTED_ERRORS.authentication_failed);
    expect((await createLink(sim.baseUrl, body, { 'x-cf-signature': sign(now) })).status).toBe(200);
    expect((await createLink(sim.baseUrl, body, { 'x-cf-signature': sign(now) })).status).toBe(200);
    expect(sim.signatures).toHaveLength(2);
    expect(new Set(sim.signatures).size).toBe(2);
  });
});
