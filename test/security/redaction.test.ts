import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import { documentedFault, type VkycStep } from '../../sim/cashfree.js';
import { sendEvent, signSlackBody, slashCommandBody } from '../../sim/sign.js';
import { shownText } from '../../sim/slack.js';
import { logRecords, startWorld, until, type BotProcess, type World } from '../helpers/child-bot.js';

/**
 * Runs every flow through the real bot process with distinctive secrets, then
 * searches everything it printed and everything it sent to Slack for them.
 */
const SECRETS = {
  botToken: 'xoxb-9431-REDACTME-bot-5c7e1a9f3d',
  signingSecret: 'REDACTME-signing-2b6f0d8e4a1c',
  clientId: 'cf-redaction-client-id',
  clientSecret: 'cfsk_ma_prod_REDACTME_7e3a9c1b5d',
  appToken: 'xapp-REDACTME-simulator-4f2b9e',
};

const RECORDING_LINK =
  'https://cf-prod-cfvkyc-video-recording.s3.ap-south-1.amazonaws.com/watermarkedRecording/777/888/999/REDACTME-recording.mp4' +
  '?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAREDACTME%2F20250709%2Fap-south-1%2Fs3%2Faws4_request' +
  '&X-Amz-Date=20250709T084809Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host' +
  '&X-Amz-Signature=5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed';

const JOURNEY: VkycStep[] = [
  { status: 'RECEIVED', sub_status: 'LINK_GENERATED' },
  { status: 'PRE_VIDEO_CALL', sub_status: 'AADHAAR_VERIFICATION_SUCCESS' },
  { status: 'PRE_VIDEO_CALL', sub_status: 'USER_MEETING_SCHEDULED', meeting_schedule: '2030-07-09T14:50:00.000Z' },
  { status: 'VIDEO_CALL', sub_status: 'CALL_COMPLETED', recording_link: RECORDING_LINK },
  { status: 'AUDITOR_REVIEWED', sub_status: 'AUDITOR_APPROVED', recording_link: RECORDING_LINK },
];

const BAD_SIGNATURE = `v0=${'badc0ffee0ddf00d'.repeat(4)}`;

let world: World;
let bot: BotProcess;
/** Every x-slack-signature this test sent to the bot. */
const slackSignatures: string[] = [BAD_SIGNATURE];
/** The token Slack hands each Workflow Builder step execution: a credential, like the bot token. */
const executionTokens: string[] = [];

/** Runs a Workflow Builder step over signed HTTP, as Slack's function_executed event. */
async function runStep(callbackId: string, inputs: Record<string, unknown>): Promise<string> {
  const { execution, callback } = world.slack.functions.execute(callbackId, inputs);
  executionTokens.push(execution.token);
  expect((await sendEvent(bot.eventsUrl, SECRETS.signingSecret, callback)).status).toBe(200);
  return execution.id;
}

const completed = (executionId: string) => world.slack.functions.accepted().find((c) => c.executionId === executionId);

beforeAll(async () => {
  const keys = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  world = await startWorld({ secrets: SECRETS, cashfree: { signaturePrivateKeyPem: keys.privateKey } });
  const publicKeyPath = join(world.dir, 'cashfree-public.pem');
  writeFileSync(publicKeyPath, keys.publicKey);
  bot = await world.startBot({ CASHFREE_PUBLIC_KEY_PATH: publicKeyPath, CASHFREE_TIMEOUT_MS: '1500' });
});

afterAll(async () => {
  await world.close();
});

/** Sends a signed `/kyc <text>` and returns its response_url. */
async function kyc(text: string, options: { signature?: string } = {}): Promise<{ status: number; responseUrl: string }> {
  const responseUrl = world.slack.responseUrl();
  const body = slashCommandBody({ text, responseUrl, channelId: 'C0KYC' });
  const headers = signSlackBody(SECRETS.signingSecret, body);
  const signature = headers['x-slack-signature'];
  if (signature !== undefined) slackSignatures.push(signature);
  if (options.signature !== undefined) headers['x-slack-signature'] = options.signature;
  const res = await fetch(bot.eventsUrl, { method: 'POST', headers, body });
  await res.text();
  return { status: res.status, responseUrl };
}

function replies(responseUrl: string): string[] {
  return world.slack.responses.filter((r) => r.url === responseUrl).map((r) => shownText(r.body));
}

async function reply(text: string, count = 1): Promise<string[]> {
  const { status, responseUrl } = await kyc(text);
  expect(status).toBe(200);
  return until(`${count} follow-up(s) to /kyc ${text}`, () => (replies(responseUrl).length >= count ? replies(responseUrl) : undefined));
}

async function advanceAndSee(id: string): Promise<void> {
  const polls = world.cashfree.pollCount(id);
  world.cashfree.advance(id);
  await until(`a poll of ${id}`, () => world.cashfree.pollCount(id) > polls);
}

describe('no secret, signature or recording link in logs or Slack', () => {
  it('runs every flow with distinctive secrets', async () => {
    // help, an unknown subcommand, and a request with a bad signature
    expect((await kyc('help')).status).toBe(200);
    expect((await kyc('frobnicate <!channel>')).status).toBe(200);
    expect((await kyc('list', { signature: BAD_SIGNATURE })).status).toBe(401);

    // link: success, a Cashfree error, a Slack error
    expect((await reply('link'))[0]).toContain('posted in this channel');
    world.cashfree.fail(documentedFault('insufficient_balance'), { op: 'static-link' });
    expect((await reply('link'))[0]).toContain('insufficient_balance');
    world.slack.fail('files.completeUploadExternal', { error: 'not_in_channel' });
    expect((await reply('link'))[0]).toContain('not_in_channel');

    // track, status, list, history; an unknown id
    const id = 'vkyc_redaction';
    world.cashfree.addVerification({ verification_id: id, steps: JOURNEY });
    expect((await reply(`track ${id}`))[0]).toContain('Tracking');
    expect((await reply('track vkyc_nobody'))[0]).toContain('verification_id_not_found');
    const parent = await until('the parent message', () =>
      world.slack.messages('C0KYC').find((m) => m.thread_ts === undefined && m.text.includes(id)),
    );

    // poll ticks through the journey, with Cashfree and Slack failing on the way
    await advanceAndSee(id);
    world.cashfree.fail(documentedFault('request_failed'), { op: 'vkyc' });
    world.cashfree.fail(documentedFault('authentication_failed'), { op: 'vkyc' });
    await advanceAndSee(id);
    world.slack.fail('chat.postMessage', { error: 'invalid_auth' }, 2);
    await advanceAndSee(id);
    expect((await reply(`status ${id}`))[0]).toContain('recording is available');
    expect((await reply('list'))[0]).toContain(id);
    expect((await reply(`history ${id}`))[0]).toContain('CALL_COMPLETED');
    await until('three replies in the thread', () => world.slack.thread('C0KYC', parent.ts).length >= 3);

    // Workflow Builder steps: one completed at once with the execution's token, one waiting for the outcome
    const statusStep = await runStep('get_video_kyc_status', { verification: id });
    await until('the status step completed', () => completed(statusStep));
    const waitStep = await runStep('wait_for_video_kyc_outcome', { verification_id: id });

    // untrack a second verification; the first ends on its own
    const other = 'vkyc_redaction_untracked';
    world.cashfree.addVerification({ verification_id: other, steps: JOURNEY });
    await reply(`track ${other}`);
    expect((await reply(`untrack ${other}`))[0]).toContain('Stopped tracking');
    await advanceAndSee(id);
    await until('the final reply', () => world.slack.thread('C0KYC', parent.ts).some((m) => m.text.includes('AUDITOR_APPROVED')));
    expect(await until('the wait step completed', () => completed(waitStep))).toMatchObject({ by: 'bot', outputs: { outcome: 'approved' } });

    bot.child.kill('SIGTERM');
    expect(await bot.exited).toEqual({ code: 0, signal: null });

    // The flows really ran and were logged.
    const logged = logRecords(bot);
    const subcommands = new Set(logged.filter((r) => r['msg'] === 'command').map((r) => r['subcommand']));
    expect([...subcommands].sort()).toEqual(['help', 'history', 'invalid', 'link', 'list', 'status', 'track', 'untrack']);
    expect(logged.some((r) => r['msg'] === 'status check failed; will retry' && r['cashfree_code'] === 'authentication_failed')).toBe(true);
    expect(logged.some((r) => r['msg'] === 'status change not posted; will retry' && r['slack_error'] === 'invalid_auth')).toBe(true);
    expect(world.cashfree.signatures.length).toBeGreaterThan(5);
  });

  it('finds none of them in anything the bot printed', () => {
    const output = bot.stdout() + bot.stderr();
    expect(output.length).toBeGreaterThan(1_000);
    for (const secret of forbidden()) expect(output).not.toContain(secret);
    expect(output).not.toMatch(/X-Amz-(Signature|Credential)/);
    expect(output).not.toContain('REDACTME');
  });

  it('finds none of them in anything Slack received', () => {
    // The bot token legitimately travels in the Authorization header; everything else is searched.
    const calls = world.slack.calls.map(({ token: _token, ...call }) => call);
    const sent = JSON.stringify([calls, world.slack.responses, world.slack.messages('C0KYC')]);
    for (const secret of forbidden()) expect(sent).not.toContain(secret);
    expect(sent).not.toMatch(/X-Amz-(Signature|Credential)/);
    expect(sent).not.toContain('REDACTME');
  });
});

describe('in Socket Mode', () => {
  it('prints neither the app token nor any other secret, through commands and a reconnection', async () => {
    const socketBot = await world.startBot({ SLACK_APP_TOKEN: SECRETS.appToken });
    const opened = world.slack.socket.connectionsOpened();
    await world.slack.socket.slashCommand({ text: 'help', responseUrl: world.slack.responseUrl() });
    await world.slack.socket.slashCommand({ text: 'link', responseUrl: world.slack.responseUrl() });
    world.slack.socket.dropConnections();
    await world.slack.socket.waitForConnection(opened + 1, 20_000);
    await world.slack.socket.slashCommand({ text: 'list', responseUrl: world.slack.responseUrl() });
    socketBot.child.kill('SIGTERM');
    expect(await socketBot.exited).toEqual({ code: 0, signal: null });
    const output = socketBot.stdout() + socketBot.stderr();
    expect(logRecords(socketBot).filter((r) => r['msg'] === 'command')).toHaveLength(3);
    for (const secret of [SECRETS.appToken, ...forbidden()]) expect(output).not.toContain(secret);
    expect(output).not.toContain('REDACTME');
  }, 40_000);
});

describe('the redaction step itself', () => {
  it('removes secrets that reach the logger in the shapes the libraries use', () => {
    const lines: string[] = [];
    const logger = createLogger({
      level: 'debug',
      secrets: [SECRETS.botToken, SECRETS.signingSecret, SECRETS.clientSecret],
      write: (line) => lines.push(line),
    });
    const cfSignature = 'bm90LWEtcmVhbC1zaWduYXR1cmUtUkVEQUNUTUU=';
    const slackSignature = `v0=${'0123456789abcdef'.repeat(4)}`;
    logger.debug(`http request headers: {"Authorization":"Bearer ${SECRETS.botToken}"}`, { source: 'bolt' });
    logger.debug('http request body', { body: `token=xoxb-0000-other-token&text=hi` });
    logger.error('slack request failed', { error: Object.assign(new Error(`An API error occurred: ${SECRETS.signingSecret}`), { code: 'x' }) });
    logger.warn('cashfree', { headers: { 'x-client-secret': SECRETS.clientSecret, 'x-cf-signature': cfSignature, 'x-client-id': 'id' } });
    logger.info('status', { recording_link: RECORDING_LINK, note: `see ${RECORDING_LINK} now`, list: [{ signature: slackSignature }] });
    logger.info(`verification failed for ${slackSignature}`);
    const output = lines.join('\n');
    for (const secret of [SECRETS.botToken, SECRETS.signingSecret, SECRETS.clientSecret, cfSignature, slackSignature, RECORDING_LINK, 'xoxb-0000-other-token']) {
      expect(output).not.toContain(secret);
    }
    expect(output).not.toMatch(/X-Amz-Signature/);
    expect(output).toContain('"x-client-id":"id"');
  });
});

function forbidden(): string[] {
  return [
    SECRETS.appToken,
    SECRETS.botToken,
    SECRETS.signingSecret,
    SECRETS.clientSecret,
    RECORDING_LINK,
    ...world.cashfree.signatures,
    ...world.cashfree.requests.map((r) => r.headers['x-cf-signature'] ?? '').filter((s) => s !== ''),
    ...slackSignatures,
    ...slackSignatures.map((s) => s.slice(3)),
    ...executionTokens,
    ...executionTokens.map((token) => token.slice(5)),
  ];
}
