import { afterEach, describe, expect, it } from 'vitest';
import { startCashfreeSim, type CashfreeSim } from '../../sim/cashfree.js';

const credentials = { clientId: 'CF_TEST_ID', clientSecret: 'cf_test_secret' };
const headers = {
  'x-client-id': credentials.clientId,
  'x-client-secret': credentials.clientSecret,
  'x-api-version': '2024-12-01',
  'content-type': 'application/json',
};

let sim: CashfreeSim | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function post(base: string, path: string, body: unknown, extra: Record<string, string> = {}) {
  const res = await fetch(`${base}${path}`, { method: 'POST', headers: { ...headers, ...extra }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const vkycBody = (verificationId: string, userReferenceId: unknown) => ({
  verification_id: verificationId,
  user_reference_id: userReferenceId,
  user_template: 'vkyc_user_template_v1',
  agent_template: 'vkyc_agent_template_v1',
  notification_types: ['sms'],
});

describe('cashfree sim: POST /user and POST /vkyc', () => {
  it('creates a user, then a VKYC that GET /vkyc answers afterwards', async () => {
    sim = await startCashfreeSim(credentials);
    const user = await post(sim.baseUrl, '/user', { phone: '9876543210', name: 'Asha' });
    expect(user.status).toBe(200);
    expect(user.body).toMatchObject({ phone: '9876543210', name: 'Asha' });
    const created = await post(sim.baseUrl, '/vkyc', vkycBody('vk_new_1', user.body['user_reference_id']));
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ verification_id: 'vk_new_1', status: 'RECEIVED', sub_status: 'LINK_GENERATED' });
    expect(String(created.body['vkyc_link'])).toMatch(/^https:\/\/forms\.cashfree\.com\/verification\//);
    expect(sim.state('vk_new_1').vkyc_link).toBe(created.body['vkyc_link']);
    const status = await fetch(`${sim.baseUrl}/vkyc?verification_id=vk_new_1`, { headers });
    expect(status.status).toBe(200);
    expect(sim.bodies('user')).toEqual([{ phone: '9876543210', name: 'Asha' }]);
    expect(sim.bodies('vkyc-create')[0]).toMatchObject({ verification_id: 'vk_new_1' });
  });

  it('answers the documented errors', async () => {
    sim = await startCashfreeSim(credentials);
    expect((await post(sim.baseUrl, '/user', { phone: '12345' })).body).toMatchObject({ code: 'phone_value_invalid' });
    expect((await post(sim.baseUrl, '/user', { phone: '9876543210', email: 'no' })).status).toBe(400);
    const user = await post(sim.baseUrl, '/user', { phone: '9876543210' });
    const again = await post(sim.baseUrl, '/user', { phone: '9876543210' });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'user_already_exists', error: { user_reference_id: user.body['user_reference_id'] } });
    expect((await post(sim.baseUrl, '/vkyc', vkycBody('bad id!', user.body['user_reference_id']))).status).toBe(400);
    expect((await post(sim.baseUrl, '/vkyc', vkycBody('vk_x', 1))).body).toMatchObject({ code: 'user_not_found' });
    expect((await post(sim.baseUrl, '/vkyc', vkycBody('vk_x', user.body['user_reference_id']))).status).toBe(200);
    const duplicate = await post(sim.baseUrl, '/vkyc', vkycBody('vk_x', user.body['user_reference_id']));
    expect(duplicate).toMatchObject({ status: 409, body: { code: 'verification_id_already_exists' } });
    expect((await post(sim.baseUrl, '/vkyc', vkycBody('vk_y', 1), { 'x-client-secret': 'wrong' })).status).toBe(401);
    expect((await post(sim.baseUrl, '/user', { phone: '9876543211' }, { 'x-api-version': '' })).status).toBe(400);
    sim.setRejectForBalance(true);
    expect((await post(sim.baseUrl, '/vkyc', vkycBody('vk_z', user.body['user_reference_id']))).body).toMatchObject({
      status: 'REJECTED',
      sub_status: 'INSUFFICIENT_BALANCE',
    });
  });

  it('serves faults on the new operations', async () => {
    sim = await startCashfreeSim(credentials);
    sim.fail({ kind: 'error', status: 422, body: { type: 'validation_error', code: 'insufficient_balance', message: 'Insufficient balance' } }, { op: 'vkyc-create' });
    const user = await post(sim.baseUrl, '/user', { phone: '9876543210' });
    expect(user.status).toBe(200);
    expect((await post(sim.baseUrl, '/vkyc', vkycBody('vk_f', user.body['user_reference_id']))).status).toBe(422);
  });
});
