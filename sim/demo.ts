import { appendFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startBot } from '../src/bot.js';
import { parseConfig, secretsOf } from '../src/config.js';
import { isValidSchedule } from '../src/jobs/scheduler.js';
import { createLogger } from '../src/log.js';
import { startCashfreeSim } from './cashfree.js';
import { startSlackSim } from './slack.js';
import { settingsSubmission } from './settings-form.js';
import { vkycSubmission } from './vkyc-form.js';

/**
 * `npm run demo`: the whole bot against local Cashfree and Slack simulators, no accounts needed, in
 * Socket Mode (the mode manifest.yml sets up): the bot opens its socket to the Slack simulator and
 * receives `/kyc link`, `/kyc track`, `/kyc vkyc` (and its form) and `/kyc subscribe` as envelopes, as it
 * would from Slack; Cashfree's simulator pushes signed webhooks. The agent who started a Video KYC gets a DM.
 */
const DATA = 'data';
const CHANNEL = 'C0DEMO';
const PUSH_CHANNEL = 'C0PUSH';
/** The agent in every demo command (the simulator's default user). */
const AGENT = 'U0AGENT';
const APP_TOKEN = 'xapp-demo-simulator';

async function main(): Promise<void> {
  mkdirSync(DATA, { recursive: true });
  const database = join(DATA, 'demo.sqlite');
  for (const suffix of ['', '-wal', '-shm']) rmSync(database + suffix, { force: true });
  const logFile = join(DATA, 'demo-bot.log');
  writeFileSync(logFile, '');

  const cashfree = await startCashfreeSim({ clientId: 'demo-client', clientSecret: 'demo-secret', latencyMs: 150 });
  const slack = await startSlackSim({ botToken: 'xoxb-demo-token', appToken: APP_TOKEN });
  const config = parseConfig(
    {
      SLACK_BOT_TOKEN: 'xoxb-demo-token',
      SLACK_APP_TOKEN: APP_TOKEN,
      PORT: '0',
      SLACK_API_URL: slack.apiUrl,
      CASHFREE_CLIENT_ID: 'demo-client',
      CASHFREE_CLIENT_SECRET: 'demo-secret',
      CASHFREE_BASE_URL: cashfree.baseUrl,
      DATABASE_PATH: database,
      POLL_SCHEDULE: '*/1 * * * * *',
      // A board of one and a budget to spare: look every tick, so the simulated customer's minute-long journey shows in full.
      POLL_MIN_CHANCE: '0',
      LOG_LEVEL: 'info',
    },
    isValidSchedule,
  );
  const logger = createLogger({ level: 'info', secrets: secretsOf(config), write: (line) => appendFileSync(logFile, line + '\n') });
  const bot = await startBot(config, { logger });
  say(`Bot connected to the Slack simulator in Socket Mode (${slack.socket.openConnections()} socket); /healthz and /metrics on port ${bot.port}`);
  say(`Simulators: Cashfree ${cashfree.baseUrl}, Slack ${slack.apiUrl}`);

  try {
    say('\n$ /kyc link');
    const link = await slack.socket.slashCommand({ text: 'link', channelId: CHANNEL, responseUrl: slack.responseUrl() });
    say(`  acknowledged over the socket in ${(link.ackedAt ?? link.sentAt) - link.sentAt} ms: ${String(link.ack?.['text'] ?? '')}`);
    const share = await slack.waitFor(() => slack.messages(CHANNEL).find((m) => (m.files ?? []).length > 0), 10_000);
    const upload = slack.uploads.at(-1);
    const qrPath = join(DATA, 'demo-qr.png');
    if (upload !== undefined) writeFileSync(qrPath, upload.bytes);
    say('  the channel received:');
    say(indent(share.text));
    say(`  QR code (${upload?.bytes.length ?? 0} bytes) saved to ${qrPath}`);

    const id = 'vkyc_demo_001';
    cashfree.addVerification({ verification_id: id, advanceEveryPolls: 2 });
    say(`\n$ /kyc track ${id}`);
    await slack.socket.slashCommand({ text: `track ${id}`, channelId: CHANNEL, responseUrl: slack.responseUrl() });
    const parent = await slack.waitFor(() => slack.messages(CHANNEL).find((m) => m.thread_ts === undefined && m.text.includes(id)), 10_000);
    say('  parent message:');
    say(indent(parent.text));
    say('  thread (the simulated customer moves one step every two polls):');
    let shown = 0;
    await slack.waitFor(() => {
      const replies = slack.thread(CHANNEL, parent.ts);
      for (const reply of replies.slice(shown)) say(indent(`↳ ${reply.text.replace(/\n/g, '\n  ')}`));
      shown = replies.length;
      return replies.some((reply) => reply.text.includes('tracking has ended'));
    }, 60_000);
    say('\n$ /kyc vkyc   (an agent starts a Video KYC for a customer at the counter)');
    const modalsBefore = slack.modals().length;
    await slack.socket.slashCommand({ text: 'vkyc', channelId: CHANNEL, responseUrl: slack.responseUrl() });
    const modal = await slack.waitFor(() => slack.modals()[modalsBefore], 10_000);
    say(`  a form opened: "${String((modal.view['title'] as { text?: string } | undefined)?.text ?? '')}"; the agent types the customer's mobile number and presses Start`);
    const uploadsBefore = slack.uploads.length;
    await slack.socket.send('interactive', vkycSubmission(modal, { phone: '+91 98765 43210', name: 'Demo Customer' }));
    const dm = await slack.waitFor(() => slack.messages(`D${AGENT}`).find((m) => (m.files ?? []).length > 0), 15_000);
    const started = /Video KYC `([^`]+)`/.exec(dm.text)?.[1] ?? '';
    const vkycCard = await slack.waitFor(() => slack.messages(CHANNEL).find((m) => m.thread_ts === undefined && started !== '' && m.text.includes(started)), 10_000);
    const vkycQr = slack.uploads.slice(uploadsBefore).at(-1);
    if (vkycQr !== undefined) writeFileSync(join(DATA, 'demo-vkyc-qr.png'), vkycQr.bytes);
    say(`  Cashfree: POST /user, then POST /vkyc for ${started}`);
    say('  the channel received the tracking card (no phone, no name, no customer link):');
    say(indent(vkycCard.text));
    say(`  the agent's direct messages received the customer's link and its QR code (saved to ${join(DATA, 'demo-vkyc-qr.png')}):`);
    say(indent(dm.text.split('\n')[0] ?? ''));

    say("\n  the customer's microphone is off at the pre-call check: the agent, who started it, gets a direct message");
    cashfree.setState(started, { status: 'PRE_VIDEO_CALL', sub_status: 'USER_AUDIO_CHECK_FAILED' });
    const ownerDm = await slack.waitFor(() => slack.messages(`D${AGENT}`).find((m) => m.files === undefined && m.text.includes(started)), 15_000);
    say(indent(ownerDm.text));

    say('\n$ /kyc subscribe -approved   (a rule, in another channel; Cashfree pushes its webhooks to the bot)');
    cashfree.setWebhookUrl(`http://127.0.0.1:${bot.port}/cashfree/webhook`);
    await slack.socket.slashCommand({ text: 'subscribe -approved', channelId: PUSH_CHANNEL, responseUrl: slack.responseUrl() });
    const ruleNote = await slack.waitFor(() => slack.messages(PUSH_CHANNEL)[0], 10_000);
    say(indent(ruleNote.text));
    say('\n$ /kyc settings   (the form: this channel\'s threads get milestones only)');
    const settingsBefore = slack.modals().length;
    await slack.socket.slashCommand({ text: 'settings', channelId: PUSH_CHANNEL, responseUrl: slack.responseUrl() });
    const settings = await slack.waitFor(() => slack.modals()[settingsBefore], 10_000);
    const saved = await slack.socket.send('interactive', settingsSubmission(settings, { threadDetail: 'condensed' }));
    say(`  saved over the socket: ${JSON.stringify(saved.ack ?? {}).includes('saved') ? 'condensed threads' : 'not saved'}`);
    const pushedId = 'vkyc_demo_push';
    cashfree.addVerification({ verification_id: pushedId });
    const pushedAt = Date.now();
    cashfree.advance(pushedId);
    const card = await slack.waitFor(() => slack.messages(PUSH_CHANNEL).find((m) => m.text.includes(pushedId)), 10_000);
    say(`  nobody typed /kyc track: Cashfree's webhook opened this card ${Date.now() - pushedAt} ms after the change:`);
    say(indent(card.text));
    const queuedAt = Date.now();
    for (let step = 0; step < 5; step += 1) cashfree.advance(pushedId);
    await slack.waitFor(() => slack.thread(PUSH_CHANNEL, card.ts).some((m) => m.text.includes('USER_QUEUED')), 10_000);
    say(`  the customer joined the queue; the thread heard it ${Date.now() - queuedAt} ms later, by push (condensed: milestones only):`);
    for (const reply of slack.thread(PUSH_CHANNEL, card.ts)) say(indent(`↳ ${reply.text.split('\n')[0] ?? ''}`));

    const health = await fetch(`http://127.0.0.1:${bot.port}/healthz`);
    say(`\n$ curl localhost:${bot.port}/healthz\n  ${health.status} ${await health.text()}`);
    say(`\nDone. The bot's own log is in ${logFile}.`);
  } finally {
    await bot.stop(2_000);
    await Promise.all([cashfree.close(), slack.close()]);
  }
}

function say(line: string): void {
  process.stdout.write(line + '\n');
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
