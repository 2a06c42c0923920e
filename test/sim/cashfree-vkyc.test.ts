import { afterEach, describe, expect, it } from 'vitest';
import { REJECTED_JOURNEY, startCashfreeSim, webhookBody, type CashfreeSim } from '../../sim/cashfree.js';

const credentials = { clientId: 'CF_TEST_ID', clientSecret: 'cf_test_secret' };
const headers = { 'x-client-id': credentials.clientId, 'x-client-secret': credentials.clientSecret, 'x-api-version': '2024-12-01' };

let sim: CashfreeSim | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function getStatus(base: string, query: string, extraHeaders: Record<string, string> = {}) {
  const res = await fetch(`${base}/vkyc?${query}`, { headers: { ...headers, ...extraHeaders } });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('cashfree sim: GET /vkyc', () => {
  it('answers every documented field and advances on demand', async () => {
    sim = await startCashfreeSim(credentials);
    const referenceId = sim.addVerification({ verification_id: 'vk_1', user_id: 'cust_1' });
    const first = await getStatus(sim.baseUrl, 'verification_id=vk_1');
    expect(first.status).toBe(200);
    expect(Object.keys(first.body).sort()).toEqual(
      ['agent_remarks', 'auditor_remarks', 'link_expiry', 'meeting_schedule', 'recording_link', 'reference_id', 'status', 'sub_status',
        'user_id', 'user_reference_id', 'verification_id', 'vkyc_link'].sort(),
    );
    expect(first.body).toMatchObject({ reference_id: referenceId, user_id: 'cust_1', status: 'RECEIVED', sub_status: 'LINK_GENERATED', recording_link: null });

    for (let i = 0; i < 8; i += 1) sim.advance('vk_1');
    const byReference = await getStatus(sim.baseUrl, `reference_id=${referenceId}`);
    expect(byReference.body).toMatchObject({ status: 'VIDEO_CALL', sub_status: 'CALL_COMPLETED' });
    expect(byReference.body['recording_link']).toContain('X-Amz-Signature=');
    expect(sim.advance('vk_1')).toMatchObject({ status: 'AUDITOR_REVIEWED', sub_status: 'AUDITOR_APPROVED' });
    expect(sim.advance('vk_1').sub_status).toBe('AUDITOR_APPROVED');
    expect(sim.pollCount('vk_1')).toBe(2);
  });

  it('advances every n polls and accepts arbitrary states', async () => {
    sim = await startCashfreeSim(credentials);
    sim.addVerification({ verification_id: 'vk_2', steps: REJECTED_JOURNEY, advanceEveryPolls: 2 });
    const seen: unknown[] = [];
    for (let i = 0; i < 6; i += 1) seen.push((await getStatus(sim.baseUrl, 'verification_id=vk_2')).body['sub_status']);
    expect(seen).toEqual(['LINK_GENERATED', 'LINK_GENERATED', 'AADHAAR_VERIFICATION_SUCCESS', 'AADHAAR_VERIFICATION_SUCCESS', 'AUDITOR_REJECTED', 'AUDITOR_REJECTED']);
    sim.setState('vk_2', { status: 'SOMETHING_NEW', sub_status: 'NOT_DOCUMENTED' });
    expect((await getStatus(sim.baseUrl, 'verification_id=vk_2')).body).toMatchObject({ status: 'SOMETHING_NEW', sub_status: 'NOT_DOCUMENTED' });
  });

  it('answers validation and lookup errors', async () => {
    sim = await startCashfreeSim(credentials);
    const noVersion = await fetch(`${sim.baseUrl}/vkyc?verification_id=x`, { headers: { 'x-client-id': credentials.clientId, 'x-client-secret': credentials.clientSecret } });
    expect(noVersion.status).toBe(400);
    expect(await noVersion.json()).toMatchObject({ code: 'x-api-version_missing' });
    expect(await getStatus(sim.baseUrl, '')).toMatchObject({ status: 400, body: { code: 'verification_id_missing' } });
    expect(await getStatus(sim.baseUrl, 'verification_id=nope')).toEqual({
      status: 404,
      body: { type: 'validation_error', code: 'verification_id_not_found', message: 'Verification ID does not exist' },
    });
    expect(await getStatus(sim.baseUrl, 'reference_id=999')).toMatchObject({ status: 404, body: { code: 'reference_id_not_found' } });
    expect(await getStatus(sim.baseUrl, 'verification_id=x', { 'x-client-id': 'other' })).toMatchObject({ status: 401 });
  });
});

describe('cashfree sim: webhooks', () => {
  it("sends the documented payload: data mirrors GET /vkyc, '' for absent, the day alone as link_expiry, a vkyc_link", async () => {
    sim = await startCashfreeSim(credentials);
    sim.addVerification({ verification_id: 'vk_hook', link_expiry: '2025-06-21T00:00:00.000Z' });
    const polled = (await getStatus(sim.baseUrl, 'verification_id=vk_hook')).body;
    const body = JSON.parse(webhookBody('VKYC_USER_LINK_GENERATED', sim.state('vk_hook'), new Date('2025-05-22T03:51:14.250Z'))) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['data', 'event_time', 'event_type', 'version']);
    expect(body).toMatchObject({ event_type: 'VKYC_USER_LINK_GENERATED', event_time: '2025-05-22T03:51:14Z', version: 'v1' });
    const { agent_remarks, auditor_remarks, ...mirrored } = polled;
    expect(body['data']).toEqual({ ...mirrored, link_expiry: '2025-06-21', recording_link: '', meeting_schedule: '' });
    expect(String((body['data'] as Record<string, unknown>)['vkyc_link'])).toMatch(/^https:\/\/forms\.cashfree\.com\/verification\//);
  });
});
