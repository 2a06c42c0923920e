import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBot, type Bot } from '../../src/bot.js';
import { parseConfig, secretsOf, type Config, type TestTimings } from '../../src/config.js';
import { isValidSchedule } from '../../src/jobs/scheduler.js';
import { createLogger } from '../../src/log.js';
import type { SlackPaceRules } from '../../src/tracking/pacing.js';
import { startCashfreeSim, type CashfreeSim } from '../../sim/cashfree.js';
import { sendEvent, sendInteraction, sendSlashCommand } from '../../sim/sign.js';
import { shownText, startSlackSim, type ChannelRateLimit, type SimExecution, type SlackSim } from '../../sim/slack.js';
import { manifestBotScopes, manifestFunctions } from './manifest.js';

export const SECRETS = {
  botToken: 'xoxb-test-bot-token-5f3a9c',
  signingSecret: 'signing-secret-7d1e4b',
  clientId: 'cf-client-id-test',
  clientSecret: 'cf-client-secret-9b2c8e',
  appToken: 'xapp-test-simulator-2d8f',
};

export interface Harness {
  cashfree: CashfreeSim;
  slack: SlackSim;
  bot: Bot;
  config: Config;
  dir: string;
  logs: string[];
  eventsUrl: string;
  mode: 'http' | 'socket';
  /**
   * Sends `/kyc <text>` the way the bot's mode receives it: signed over HTTP, or as a Socket Mode envelope.
   * Returns the acknowledgement (HTTP status and body; over the socket, 200 and the ack's payload as JSON)
   * and the response_url that follow-ups go to.
   */
  kyc(text: string, p?: { userId?: string; channelId?: string }): Promise<{ status: number; body: string; responseUrl: string }>;
  /**
   * Sends an interaction payload (block_actions, view_submission…) the way the bot's mode receives it: a signed
   * form over HTTP, or an `interactive` envelope. Returns the HTTP status and body (over the socket: 200 and the
   * ack's payload as JSON, e.g. `{"response_action":"errors",…}`).
   */
  interact(payload: Record<string, unknown>): Promise<{ status: number; body: string }>;
  /** Sends an Events API callback (`{type:'event_callback', event}`): signed JSON over HTTP, or an `events_api` envelope. */
  event(callback: Record<string, unknown>): Promise<{ status: number; body: string }>;
  /**
   * Runs one of manifest.yml's Workflow Builder steps as a workflow would: the simulator checks the inputs
   * against the manifest and the bot gets `function_executed` the way its mode receives events. Returns the
   * execution, whose completion `slack.functions.completions` records.
   */
  runStep(callbackId: string, inputs: Record<string, unknown>): Promise<SimExecution>;
  /**
   * Ephemeral follow-ups posted to a response_url and accepted, in order (one Slack refused is not shown to anyone),
   * as the agent sees them: the texts of their blocks, or their text.
   */
  repliesTo(responseUrl: string): string[];
  waitForReply(responseUrl: string, count?: number): Promise<string[]>;
  /** `/cashfree/webhook` on the bot's port. */
  webhookUrl: string;
  /** Stops the bot, runs `between` (e.g. to write to its database while it is down), starts it again. */
  restart(env?: Record<string, string>, between?: () => void | Promise<void>): Promise<void>;
  /** Stops everything; throws if Slack refused any payload for breaking a Block Kit limit (`slack.refusals`). */
  close(): Promise<void>;
}

export interface HarnessOptions {
  env?: Record<string, string>;
  /** Run node-cron ticks (default: false; tests call bot.tick()). */
  schedule?: boolean;
  dir?: string;
  /** Run the bot in Socket Mode against the Slack simulator's socket (the mode users deploy). */
  socketMode?: boolean;
  socketDownLimitMs?: number;
  /** The bot's clock (default Date.now), for tests that move time on by hand. */
  now?: () => number;
  /** How long a tick takes new work (default 10 s); with a clock moved by hand, 1 ms ends a tick when the budget has nothing now. */
  tickMaxMs?: number;
  /** Windows to shorten beyond HARNESS_TIMINGS (src/config.ts, KYC_TEST_TIMINGS). */
  timings?: TestTimings;
  /** Slack's per-channel posting limit in the simulator (default: none). */
  slackChannelRateLimit?: ChannelRateLimit;
  /** The pace the bot keeps to (default: next to none, since the simulator does not limit unless asked to). */
  slackPace?: Partial<SlackPaceRules>;
  /** The bot token's scopes in the simulator (default: those manifest.yml asks for, so a call it lacks one for fails as in Slack). */
  slackScopes?: readonly string[];
}

/**
 * A Socket Mode reconnection waits one ping timeout (Bolt's 5 s): 1 s here, still long enough that a
 * busy machine's pauses do not read as a dead connection.
 */
const HARNESS_TIMINGS: TestTimings = { socketPingTimeoutMs: 1_000 };

/** The simulator limits nothing by default, so the bot need not pace itself either: tests that tick by hand stay quick. */
const SLACK_UNPACED = { intervalMs: 1, burst: 1_000 };
const UNPACED_RULES: SlackPaceRules = { 'chat.postMessage': SLACK_UNPACED, 'chat.update': SLACK_UNPACED, 'views.publish': SLACK_UNPACED };

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const cashfree = await startCashfreeSim({ clientId: SECRETS.clientId, clientSecret: SECRETS.clientSecret });
  const slack = await startSlackSim({
    botToken: SECRETS.botToken,
    appToken: SECRETS.appToken,
    scopes: options.slackScopes ?? manifestBotScopes(),
    ...(options.slackChannelRateLimit === undefined ? {} : { channelRateLimit: options.slackChannelRateLimit }),
    functions: manifestFunctions(),
  });
  const mode = options.socketMode === true ? 'socket' : 'http';
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'kyc-bot-'));
  const logs: string[] = [];
  const envFor = (extra: Record<string, string> = {}) => ({
    SLACK_BOT_TOKEN: SECRETS.botToken,
    ...(mode === 'socket' ? { SLACK_APP_TOKEN: SECRETS.appToken } : { SLACK_SIGNING_SECRET: SECRETS.signingSecret }),
    PORT: '0',
    SLACK_API_URL: slack.apiUrl,
    CASHFREE_CLIENT_ID: SECRETS.clientId,
    CASHFREE_CLIENT_SECRET: SECRETS.clientSecret,
    CASHFREE_BASE_URL: cashfree.baseUrl,
    CASHFREE_TIMEOUT_MS: '3000',
    // Ticks driven by hand never wait for the request budget; the tests about the budget set their own.
    CASHFREE_MAX_RPM: '6000',
    DATABASE_PATH: join(dir, 'kyc.sqlite'),
    POLL_SCHEDULE: '*/1 * * * * *',
    POLL_BACKOFF_SECONDS: '1',
    // Tests tick by hand and expect each tick to look again; the scheduler's own pace has its own tests.
    POLL_MIN_CHANCE: '0',
    LOG_LEVEL: 'debug',
    KYC_TEST_TIMINGS: JSON.stringify({ ...HARNESS_TIMINGS, ...options.timings }),
    ...options.env,
    ...extra,
  });
  const boot = async (env: Record<string, string>) => {
    const config = parseConfig(env, isValidSchedule);
    const logger = createLogger({ level: 'debug', secrets: secretsOf(config), write: (line) => logs.push(line) });
    const bot = await startBot(config, {
      logger,
      schedule: options.schedule ?? false,
      tickMaxMs: options.tickMaxMs ?? 10_000,
      slackPace: { ...UNPACED_RULES, ...options.slackPace },
      ...(options.now === undefined ? {} : { now: options.now }),
      ...(options.socketDownLimitMs === undefined ? {} : { socketDownLimitMs: options.socketDownLimitMs }),
    });
    return { config, bot };
  };
  let { config, bot } = await boot(envFor());

  const harness: Harness = {
    cashfree,
    slack,
    get bot() {
      return bot;
    },
    get config() {
      return config;
    },
    dir,
    logs,
    mode,
    get eventsUrl() {
      return `http://127.0.0.1:${bot.port}/slack/events`;
    },
    async kyc(text, p = {}) {
      const responseUrl = slack.responseUrl();
      if (mode === 'socket') {
        const envelope = await slack.socket.slashCommand({ text, responseUrl, ...p });
        return { status: 200, body: checkedAck(JSON.stringify(envelope.ack ?? {})), responseUrl };
      }
      const answer = await sendSlashCommand(harness.eventsUrl, SECRETS.signingSecret, { text, responseUrl, ...p });
      return { status: answer.status, body: checkedAck(answer.body), responseUrl };
    },
    async interact(payload) {
      const view = payload['view'];
      const viewId = typeof view === 'object' && view !== null && 'id' in view && typeof view.id === 'string' ? view.id : undefined;
      if (mode === 'socket') {
        const envelope = await slack.socket.send('interactive', payload);
        return { status: 200, body: checkedAck(JSON.stringify(envelope.ack ?? {}), viewId) };
      }
      const answer = await sendInteraction(harness.eventsUrl, SECRETS.signingSecret, payload);
      return { status: answer.status, body: checkedAck(answer.body, viewId) };
    },
    async event(callback) {
      if (mode === 'socket') {
        const envelope = await slack.socket.send('events_api', callback);
        return { status: 200, body: JSON.stringify(envelope.ack ?? {}) };
      }
      return sendEvent(harness.eventsUrl, SECRETS.signingSecret, callback);
    },
    async runStep(callbackId, inputs) {
      const { execution, callback } = slack.functions.execute(callbackId, inputs);
      const answer = await harness.event(callback);
      if (answer.status !== 200) throw new Error(`the bot answered function_executed with HTTP ${answer.status}`);
      return execution;
    },
    repliesTo(responseUrl) {
      return slack.responses.filter((r) => r.url === responseUrl && r.failed !== true).map((r) => shownText(r.body));
    },
    waitForReply(responseUrl, count = 1) {
      return slack.waitFor(() => {
        const replies = harness.repliesTo(responseUrl);
        return replies.length >= count ? replies : undefined;
      });
    },
    get webhookUrl() {
      return `http://127.0.0.1:${bot.port}/cashfree/webhook`;
    },
    async restart(env, between) {
      await bot.stop(2_000);
      await between?.();
      ({ config, bot } = await boot(envFor(env)));
    },
    async close() {
      await bot.stop(2_000);
      await Promise.all([cashfree.close(), slack.close()]);
      if (options.dir === undefined) rmSync(dir, { recursive: true, force: true });
      slack.assertNoRefusals();
    },
  };

  /** An acknowledgement is a payload Slack shows too: the simulator checks its limits; a refusal fails the test here. */
  function checkedAck(body: string, viewId?: string): string {
    const refusal = slack.checkAck(parseJsonBody(body), viewId);
    if (refusal !== undefined) throw new Error(`slack sim: Slack would refuse this acknowledgement (${refusal.error}): ${refusal.messages.join(' ')}`);
    return body;
  }
  return harness;
}

function parseJsonBody(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

/** The text of an ack body (Bolt answers the slash command with JSON when ack carries a message). */
export function ackText(body: string): string {
  try {
    return String((JSON.parse(body) as { text?: unknown }).text ?? '');
  } catch {
    return body;
  }
}
