import { App, LogLevel, SocketModeReceiver, type Logger as BoltLogger } from '@slack/bolt';
import type { WebClientOptions } from '@slack/web-api';
import type { Config } from '../config.js';
import type { Route } from '../http/routes.js';
import type { Logger } from '../log.js';

/**
 * Web API client settings for every Slack call the bot makes: a bounded
 * timeout and a short retry policy, so one failing post can never stall a
 * command or a poll tick for minutes. 429s are thrown, not queued: the
 * caller decides (an agent is told; a status change stays pending).
 */
export function slackClientOptions(config: Config, logger: BoltLogger): WebClientOptions {
  return {
    ...(config.slack.apiUrl === undefined ? {} : { slackApiUrl: config.slack.apiUrl }),
    retryConfig: { retries: 2, factor: 2, minTimeout: 300, maxTimeout: 2_000, randomize: true },
    timeout: 5_000,
    rejectRateLimitedCalls: true,
    logger,
  };
}

/**
 * Bolt and the Web API client log through ours, so their lines are JSON and redacted too. Their debug lines
 * carry whole request and response bodies as text (a modal's submitted values, a DM's comment), which key
 * redaction cannot see into, so any JSON in their text is left out.
 */
export function boltLogger(logger: Logger): BoltLogger {
  let level = LogLevel.INFO;
  const join = (parts: unknown[]) =>
    withoutPayloads(parts.map((part) => (typeof part === 'string' ? part : JSON.stringify(part) ?? String(part))).join(' '));
  return {
    debug: (...parts) => logger.debug(join(parts), { source: 'bolt' }),
    info: (...parts) => logger.info(join(parts), { source: 'bolt' }),
    warn: (...parts) => logger.warn(join(parts), { source: 'bolt' }),
    error: (...parts) => logger.error(join(parts), { source: 'bolt' }),
    setLevel: (next) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}

export interface SlackAppOptions {
  config: Config;
  logger: Logger;
  botId: string;
  botUserId: string;
  /** Served on `PORT` beside `/slack/events` in HTTP mode (Socket Mode serves them itself: see src/http/routes.ts). */
  routes: Route[];
  /** Socket Mode's pong timeout, which also spaces its reconnection attempts; Bolt's default (5 s) when undefined. */
  pingTimeoutMs?: number | undefined;
}

export interface SlackApp {
  app: App;
  /** The Socket Mode client, when the bot runs in Socket Mode. */
  socket: SocketModeReceiver['client'] | undefined;
}

/** Socket Mode when an app token is configured; otherwise HTTP on `PORT` with `/slack/events`. */
export function createSlackApp(options: SlackAppOptions): SlackApp {
  const { config } = options;
  const logger = boltLogger(options.logger);
  const common = {
    token: config.slack.botToken,
    botId: options.botId,
    botUserId: options.botUserId,
    logger,
    clientOptions: slackClientOptions(config, logger),
  };
  if (config.slack.appToken !== undefined) {
    // Our own receiver, so the bot can watch the connection. Its client gets a copy of the options:
    // the Socket Mode client writes a 100-retry policy into the object it is given.
    const receiver = new SocketModeReceiver({
      appToken: config.slack.appToken,
      logger,
      clientPingTimeout: options.pingTimeoutMs,
      installerOptions: { clientOptions: slackClientOptions(config, logger) },
    });
    return { app: new App({ ...common, receiver }), socket: receiver.client };
  }
  const app = new App({ ...common, signingSecret: config.slack.signingSecret ?? '', port: config.slack.port, customRoutes: options.routes });
  return { app, socket: undefined };
}

/** Cuts a log text at the first JSON object or array: Slack payloads may hold customers' personal data. */
export function withoutPayloads(text: string): string {
  const start = text.search(/[{[]/);
  return start === -1 ? text : `${text.slice(0, start)}[payload omitted]`;
}
