import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it, type ExpectStatic } from 'vitest';
import { spawnBot, startWorld, type World } from '../helpers/child-bot.js';

/** A start-up the operator got wrong: exactly one readable line on stderr, no stack trace, exit code 1. */
let world: World;
let blocker: Server;
let busyPort: number;
beforeAll(async () => {
  world = await startWorld();
  blocker = createServer();
  busyPort = await new Promise<number>((done) => blocker.listen(0, '127.0.0.1', () => done((blocker.address() as { port: number }).port)));
});
afterAll(async () => {
  await new Promise<void>((done) => blocker.close(() => done()));
  await world.close();
});

interface BadStart {
  name: string;
  env: (good: Record<string, string>) => Record<string, string>;
  /** What the one line must say. */
  says: RegExp;
  /** Arranges a simulator fault first. */
  before?: () => void;
}

function without(env: Record<string, string>, name: string): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter(([key]) => key !== name));
}

const CASES: BadStart[] = [
  { name: 'SLACK_BOT_TOKEN missing', env: (good) => without(good, 'SLACK_BOT_TOKEN'), says: /^kyc-slack-bot: SLACK_BOT_TOKEN is required/ },
  {
    name: 'an app-level token in SLACK_BOT_TOKEN',
    env: (good) => ({ ...good, SLACK_BOT_TOKEN: 'xapp-not-a-bot-token' }),
    says: /^kyc-slack-bot: SLACK_BOT_TOKEN holds an app-level token \(xapp-…\)/,
  },
  {
    name: 'a bot token in SLACK_APP_TOKEN',
    env: (good) => ({ ...good, SLACK_APP_TOKEN: 'xoxb-not-an-app-token' }),
    says: /^kyc-slack-bot: SLACK_APP_TOKEN holds a bot or user token/,
  },
  {
    name: 'CASHFREE_ENV=production with an http CASHFREE_BASE_URL',
    env: (good) => ({ ...good, CASHFREE_ENV: 'production' }),
    says: /^kyc-slack-bot: CASHFREE_BASE_URL must use https:\/\/ when CASHFREE_ENV is production$/,
  },
  {
    name: 'a DATABASE_PATH under a regular file',
    env: (good) => {
      const file = join(world.dir, 'not-a-directory');
      writeFileSync(file, 'plain file');
      return { ...good, DATABASE_PATH: join(file, 'kyc.sqlite') };
    },
    says: /^kyc-slack-bot: cannot open the database at .*not-a-directory\/kyc\.sqlite: /,
  },
  {
    name: 'a bot token Slack rejects',
    env: (good) => ({ ...good, SLACK_BOT_TOKEN: 'xoxb-revoked-or-wrong' }),
    says: /^kyc-slack-bot: Slack rejected the bot token at start-up \(invalid_auth\)/,
  },
  {
    name: 'a PORT already in use',
    env: (good) => ({ ...good, PORT: String(busyPort) }),
    get says() {
      return new RegExp(`^kyc-slack-bot: could not listen on PORT ${busyPort}: .*EADDRINUSE`);
    },
  },
  {
    name: 'Socket Mode with a PORT already in use',
    env: (good) => ({ ...good, SLACK_APP_TOKEN: world.secrets.appToken, PORT: String(busyPort) }),
    get says() {
      return new RegExp(`^kyc-slack-bot: could not listen on PORT ${busyPort}: .*EADDRINUSE`);
    },
  },
  {
    name: 'Socket Mode with a bot token Slack rejects',
    env: (good) => ({ ...good, SLACK_APP_TOKEN: world.secrets.appToken, SLACK_BOT_TOKEN: 'xoxb-revoked-or-wrong' }),
    says: /^kyc-slack-bot: Slack rejected the bot token at start-up \(invalid_auth\)/,
  },
  {
    name: 'Socket Mode with an app token Slack rejects',
    env: (good) => ({ ...good, SLACK_APP_TOKEN: 'xapp-revoked-simulator' }),
    says: /^kyc-slack-bot: could not open the Socket Mode connection \(invalid_auth\); check SLACK_APP_TOKEN/,
  },
  {
    name: 'Socket Mode when Slack cannot be reached for apps.connections.open',
    env: (good) => ({ ...good, SLACK_APP_TOKEN: world.secrets.appToken }),
    before: () => world.slack.fail('apps.connections.open', { close: true }, 3),
    says: /^kyc-slack-bot: could not open the Socket Mode connection \(network_error\); check SLACK_APP_TOKEN/,
  },
];

async function expectOneLineAndExit(c: BadStart, expect: ExpectStatic): Promise<void> {
  c.before?.();
  const bot = spawnBot(c.env(await world.env()), world.dir);
  const exit = await bot.exited;
  const lines = bot.stderr().split('\n').filter((line) => line !== '');
  expect(lines).toEqual([expect.stringMatching(c.says)]);
  expect(bot.stderr()).not.toMatch(/\n\s+at |Error:/);
  expect(exit).toEqual({ code: 1, signal: null });
}

describe('start-up with a bad configuration', () => {
  for (const c of CASES.filter((c) => c.before === undefined)) {
    it.concurrent(`${c.name}: one line on stderr, exit 1`, ({ expect }) => expectOneLineAndExit(c, expect));
  }
});

// Faults in the shared simulator: one at a time.
describe('start-up when Slack fails', () => {
  for (const c of CASES.filter((c) => c.before !== undefined)) {
    it(`${c.name}: one line on stderr, exit 1`, ({ expect }) => expectOneLineAndExit(c, expect));
  }
});
