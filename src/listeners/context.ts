import type { WebClient } from '@slack/web-api';
import type { CashfreeClient } from '../cashfree/client.js';
import type { Config } from '../config.js';
import type { RequestBudget } from '../tracking/budget.js';
import type { SlackPacer } from '../tracking/pacing.js';
import type { Logger } from '../log.js';
import type { Metrics } from '../metrics.js';
import type { SlackMessage } from '../slack/blocks.js';
import type { Store } from '../store/store.js';

/** What every subcommand needs from the outside world, passed in so tests can point it anywhere. */
export interface CommandDeps {
  config: Config;
  store: Store;
  cashfree: CashfreeClient;
  budget: RequestBudget;
  /** Slack's posting limits, shared with the poller: one lane per channel, one per paced method. */
  slackPacer: SlackPacer;
  logger: Logger;
  now: () => number;
  renderQr: (text: string) => Promise<Buffer>;
  metrics: Metrics;
  /** VKYC_TERMINAL_STATUSES, the same list the poller and webhooks use. */
  terminalStatuses: readonly string[];
}

/** One invocation of `/kyc`: who, where, and how to answer them privately. */
export interface Invocation {
  userId: string;
  channelId: string;
  teamId: string | undefined;
  slack: WebClient;
  /** The command's trigger_id: opens a modal once, within 3 s. */
  triggerId?: string | undefined;
  /** Ephemeral answer to the agent who typed the command (works even where the bot is not a member). */
  reply: (text: string) => Promise<void>;
  /**
   * An ephemeral answer with blocks, built within Slack's limits: a new message for a command; for a button on
   * such a message (a page of `/kyc list`), that message replaced.
   */
  show: (message: SlackMessage) => Promise<void>;
}

/** How a subcommand ended, for the one log line per command. */
export interface Outcome {
  result: 'ok' | 'refused' | 'invalid' | 'cashfree_error' | 'slack_error' | 'database_error' | 'error';
  code?: string;
}
