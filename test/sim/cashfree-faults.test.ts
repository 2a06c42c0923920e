import { afterEach, describe, expect, it } from 'vitest';
import { documentedFault, startCashfreeSim, type CashfreeSim } from '../../sim/cashfree.js';

const credentials = { clientId: 'CF_TEST_ID', clientSecret: 'cf_test_secret' };
const init = {
  method: 'POST',
  headers: { 'content-type': 'application/json', 'x-client-id': credentials.clientId, 'x-client-secret': credentials.clientSecret },
  body: JSON.stringify({ template_name: 'Aadhaar_verification' }),
};

let sim: CashfreeSim | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

describe('cashfree sim: faults', () => {
  it('serves queued faults in order, then answers normally', async () => {
    sim = await startCashfreeSim(credentials);
    sim.fail({ kind: 'html' });
    sim.fail(documentedFault('too_many_requests_per_operation', { 'retry-after': '2' }), { op: 'static-link' });
    sim.fail({ kind: 'truncated' });
    const url = `${sim.baseUrl}/form/static-link`;

    const html = await fetch(url, init);
    expect(html.status).toBe(502);
    expect(await html.text()).toContain('nginx');
    const limited = await fetch(url, init);
    expect([limited.status, limited.headers.get('retry-after')]).toEqual([429, '2']);
    expect(await limited.json()).toMatchObject({ type: 'rate_limit_error', code: 'too_many_requests_per_operation' });
    await expect((await fetch(url, init)).json()).rejects.toThrow();
    expect((await fetch(url, init)).status).toBe(200);
  });

  it('hangs until the client gives up, and closes sockets', async () => {
    sim = await startCashfreeSim(credentials);
    sim.fail({ kind: 'hang' });
    sim.fail({ kind: 'close' }, { op: 'vkyc' });
    const url = `${sim.baseUrl}/form/static-link`;
    await expect(fetch(url, { ...init, signal: AbortSignal.timeout(100) })).rejects.toThrow(/abort|timeout/i);
    await expect(fetch(`${sim.baseUrl}/vkyc?verification_id=x`, { headers: init.headers })).rejects.toThrow(/fetch failed/);
    expect((await fetch(url, init)).status).toBe(200);
  });

  it('delays answers and still closes with a request hanging', async () => {
    sim = await startCashfreeSim({ ...credentials, latencyMs: 50 });
    const started = Date.now();
    expect((await fetch(`${sim.baseUrl}/form/static-link`, init)).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    sim.setLatency(0);
    sim.fail({ kind: 'delay', ms: 60 });
    const delayedStart = Date.now();
    expect((await fetch(`${sim.baseUrl}/form/static-link`, init)).status).toBe(200);
    expect(Date.now() - delayedStart).toBeGreaterThanOrEqual(55);

    sim.fail({ kind: 'hang' });
    const hung = fetch(`${sim.baseUrl}/form/static-link`, init).then(
      () => 'answered',
      () => 'ended',
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
    await sim.close();
    expect(await hung).toBe('ended');
    sim = undefined;
  });
});
