import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DOCUMENTED_ERRORS, documentedFault, staticLinkFor, type DocumentedErrorKey } from '../../sim/cashfree.js';
import { ackText, startHarness, type Harness } from '../helpers/harness.js';
import { decodeQr } from '../helpers/qr.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => {
  h.slack.reset();
  h.cashfree.setLatency(0);
});

const uploadsOk = () => h.slack.uploads.filter((u) => !('failed' in u && u.failed));

describe('/kyc link', () => {
  it('posts the link with a scannable QR code of exactly that link', async () => {
    const answer = await h.kyc('link');
    expect(answer.status).toBe(200);
    expect(ackText(answer.body)).toContain('Aadhaar_verification');
    const complete = await h.slack.waitFor(() => h.slack.calls.find((c) => c.method === 'files.completeUploadExternal'));
    const link = staticLinkFor('Aadhaar_verification');
    const comment = String(complete.params['initial_comment']);
    expect(comment).toContain(`<${link}>`);
    expect(comment).toContain('Aadhaar_verification');
    expect(comment).toContain('ACTIVE');
    expect(comment).toContain('<@U0AGENT>');
    expect(complete.params['channel_id']).toBe('C0KYC');
    const [upload] = uploadsOk();
    if (upload === undefined) throw new Error('no QR code uploaded');
    const decoded = decodeQr(upload.bytes);
    expect(decoded?.text).toBe(link);
    expect(decoded?.width).toBeGreaterThanOrEqual(300);
    const [done] = await h.waitForReply(answer.responseUrl);
    expect(done).toContain('posted');
  });

  it('uses the template the agent names', async () => {
    h.cashfree.setTemplates(['Aadhaar_verification', 'pan.kyc-v2']);
    await h.kyc('link pan.kyc-v2');
    await h.slack.waitFor(() => uploadsOk()[0]);
    const [upload] = uploadsOk();
    if (upload === undefined) throw new Error('no QR code uploaded');
    expect(decodeQr(upload.bytes)?.text).toBe(staticLinkFor('pan.kyc-v2'));
  });

  it('refuses a bad template name locally, without calling Cashfree', async () => {
    const before = h.cashfree.requests.length;
    const answer = await h.kyc('link <!channel>;DROP');
    expect(answer.status).toBe(200);
    const text = ackText(answer.body);
    expect(text).toContain('not a valid template name');
    expect(text).not.toContain('<!channel>');
    expect(h.cashfree.requests.length).toBe(before);
  });

  const cases = Object.keys(DOCUMENTED_ERRORS).filter((key) => !key.startsWith('template_name_value')) as DocumentedErrorKey[];
  it.each(cases)('turns Cashfree error %s into an ephemeral message with its code and no upload', async (key) => {
    // A 429 is retried twice by the client before it gives up; nothing else is retried on POST.
    const times = DOCUMENTED_ERRORS[key].status === 429 ? 3 : 1;
    h.cashfree.fail(documentedFault(key, { 'retry-after': '0' }), { op: 'static-link', times });
    const answer = await h.kyc('link');
    const replies = await h.waitForReply(answer.responseUrl);
    expect(replies[0]).toContain(DOCUMENTED_ERRORS[key].body.code);
    expect(replies[0]).toMatch(/^:warning: [A-Z]/);
    expect(uploadsOk()).toHaveLength(0);
    expect(h.slack.calls.some((c) => c.method === 'files.completeUploadExternal')).toBe(false);
  });

  it('answers an HTML 502 from a proxy with a plain message, not a crash', async () => {
    h.cashfree.fail({ kind: 'html', status: 502 }, { op: 'static-link', times: 1 });
    const answer = await h.kyc('link');
    const [reply] = await h.waitForReply(answer.responseUrl);
    expect(reply).toContain('http_502');
    const health = await fetch(`http://127.0.0.1:${h.bot.port}/healthz`);
    expect(health.status).toBe(200);
  });

  it('acknowledges at once while Cashfree takes 10 s to answer', async () => {
    h.cashfree.fail({ kind: 'delay', ms: 10_000 }, { op: 'static-link' });
    const answer = await h.kyc('link');
    expect(answer.status).toBe(200);
    // The ack arrived before Cashfree's answer: nothing is uploaded or replied yet.
    expect(h.slack.calls.some((c) => c.method === 'files.getUploadURLExternal')).toBe(false);
    expect(h.repliesTo(answer.responseUrl)).toHaveLength(0);
  }, 20_000);

  it('tells the agent to invite the bot when it is not in the channel', async () => {
    h.slack.removeBot('C0NOTIN');
    const answer = await h.kyc('link', { channelId: 'C0NOTIN' });
    const [reply] = await h.waitForReply(answer.responseUrl);
    expect(reply).toContain('/invite');
    expect(reply).toContain('not_in_channel');
  });
});
