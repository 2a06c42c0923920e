import { setMaxListeners } from 'node:events';
import { startCashfreeSim, type CashfreeSim } from '../sim/cashfree.js';
import { startSlackSim, type SlackSim } from '../sim/slack.js';

/** Credentials the simulators accept; the bot under test is configured with the same. */
export const SECRETS = {
  botToken: 'xoxb-bench-bot-token-4c1d7e',
  signingSecret: 'bench-signing-secret-2a9f61',
  clientId: 'cf-bench-client-id',
  clientSecret: 'cf-bench-client-secret-8e3b5d',
};

export interface Sims {
  cashfree: CashfreeSim;
  slack: SlackSim;
  /** Drops what the simulators recorded, so a long run does not grow the bench's own memory. */
  forget(): void;
  close(): Promise<void>;
}

export async function startSims(): Promise<Sims> {
  // Each delayed simulator answer listens on the server's closing signal; hundreds wait at once here.
  setMaxListeners(2_000);
  const cashfree = await startCashfreeSim({ clientId: SECRETS.clientId, clientSecret: SECRETS.clientSecret });
  const slack = await startSlackSim({ botToken: SECRETS.botToken });
  return {
    cashfree,
    slack,
    forget() {
      cashfree.requests.length = 0;
      cashfree.signatures.length = 0;
      slack.reset();
    },
    async close() {
      await Promise.all([cashfree.close(), slack.close()]);
    },
  };
}

/** The environment a bot needs to talk to these simulators (names from src/config.ts). */
export function botEnv(sims: Sims, databasePath: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    SLACK_BOT_TOKEN: SECRETS.botToken,
    SLACK_SIGNING_SECRET: SECRETS.signingSecret,
    PORT: '0',
    SLACK_API_URL: sims.slack.apiUrl,
    CASHFREE_CLIENT_ID: SECRETS.clientId,
    CASHFREE_CLIENT_SECRET: SECRETS.clientSecret,
    CASHFREE_BASE_URL: sims.cashfree.baseUrl,
    DATABASE_PATH: databasePath,
    LOG_LEVEL: 'info',
    ...extra,
  };
}
