import { startBot, StartupError, type Bot } from './bot.js';
import { ConfigError, loadDotEnv, parseConfig, secretsOf, type Config } from './config.js';
import { isValidSchedule } from './jobs/scheduler.js';
import { createLogger } from './log.js';
import { StoreError } from './store/open.js';

/** How long shutdown waits for an in-flight poll tick or command before closing anyway. */
const SHUTDOWN_GRACE_MS = 15_000;
/**
 * The first signal again within this long is a copy, not a second request: a signal sent to the whole
 * process group (Ctrl-C in a terminal, systemd's default stop) reaches the bot directly and again from
 * `npm start`, which forwards SIGINT and SIGTERM to its script.
 */
const SIGNAL_COPY_MS = 1_000;

async function main(): Promise<void> {
  let config: Config;
  try {
    loadDotEnv();
    config = parseConfig(process.env, isValidSchedule);
  } catch (error) {
    fail(error);
    return;
  }
  const logger = createLogger({ level: config.logLevel, secrets: secretsOf(config) });
  process.on('unhandledRejection', (error) => logger.error('unhandled rejection', { error }));
  process.on('uncaughtException', (error) => {
    logger.error('uncaught exception; exiting', { error });
    process.exit(1);
  });

  let bot: Bot;
  try {
    bot = await startBot(config, { logger });
  } catch (error) {
    fail(error);
    return;
  }

  let first: { signal: NodeJS.Signals; at: number } | undefined;
  const shutdown = (signal: NodeJS.Signals) => {
    if (first !== undefined) {
      if (signal === first.signal && Date.now() - first.at < SIGNAL_COPY_MS) {
        logger.debug('the same signal again at once: a forwarded copy; still shutting down', { signal });
        return;
      }
      logger.warn('second signal: exiting now', { signal });
      process.exit(1);
    }
    first = { signal, at: Date.now() };
    logger.info('shutting down', { signal, grace_ms: SHUTDOWN_GRACE_MS });
    bot
      .stop(SHUTDOWN_GRACE_MS)
      .then(() => {
        logger.info('stopped');
        process.exit(0);
      })
      .catch((error: unknown) => {
        logger.error('shutdown failed', { error });
        process.exit(1);
      });
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

/**
 * Start-up problems the operator can fix get one plain line and exit code 1; anything else too, without a stack.
 * startBot has already released what it opened; exiting here also ends anything a library left running.
 */
function fail(error: unknown): void {
  const known = error instanceof ConfigError || error instanceof StoreError || error instanceof StartupError;
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`kyc-slack-bot: ${known ? '' : 'unexpected start-up error: '}${message}\n`);
  process.exit(1);
}

void main();
