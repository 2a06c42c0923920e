import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { startCashfreeSim, type CashfreeSim, type CashfreeSimOptions } from '../../sim/cashfree.js';
import { sendSlashCommand } from '../../sim/sign.js';
import { startSlackSim, type SimMessage, type SlackSim } from '../../sim/slack.js';
import { manifestFunctions } from './manifest.js';
import type { TestTimings } from '../../src/config.js';
import { logRecordsOf } from './logs.js';
import { manifestBotScopes } from './manifest.js';

/** The compiled bot, run exactly as in production. `npm test` builds it first (pretest). */
export const MAIN_JS = fileURLToPath(new URL('../../dist/src/main.js', import.meta.url));
const PROJECT_DIR = fileURLToPath(new URL('../../', import.meta.url));

/** How a bot child is started: node on the compiled entry point, or `npm start`, the command operators run. */
export type Launch = 'node' | 'npm start';

export const CHILD_SECRETS = {
  botToken: 'xoxb-child-bot-token-4e7d1a',
  signingSecret: 'child-signing-secret-8c2f6b',
  clientId: 'cf-child-client-id',
  clientSecret: 'cf-child-client-secret-3a9e5d',
  appToken: 'xapp-child-simulator-7b3e',
};

/**
 * Shorter windows for every bot child (src/config.ts, KYC_TEST_TIMINGS): a killed poller's lease is free
 * after 2 s instead of 6 s, and a Socket Mode reconnection waits 1 s instead of 5 s.
 */
export const CHILD_TIMINGS: TestTimings = { leaseTtlMs: 2_000, leaseRenewMs: 500, socketPingTimeoutMs: 1_000 };

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface BotProcess {
  child: ChildProcess;
  port: number;
  eventsUrl: string;
  /** stdout and stderr lines, in arrival order, across the process's life. */
  lines: string[];
  stdout: () => string;
  stderr: () => string;
  exited: Promise<Exit>;
  /** SIGKILL to the bot, and with `npm start` to its whole process group (npm and the node it runs). */
  kill(): void;
  waitForLine(match: (line: string) => boolean, timeoutMs?: number): Promise<string>;
  healthz(): Promise<number>;
  /** The body of /healthz. */
  health(): Promise<Record<string, unknown>>;
}

/** A port nothing listens on right now: bind port 0 on loopback, read it, release it. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => done());
  });
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

/**
 * Starts the bot with exactly `env` (nothing inherited), in `cwd` so no stray `.env` is read: `node dist/src/main.js`,
 * or `npm start` from a copy of package.json there, in its own process group as a terminal or a service manager runs it.
 */
export function spawnBot(env: Record<string, string>, cwd: string, launch: Launch = 'node'): BotProcess {
  if (!existsSync(MAIN_JS)) throw new Error(`${MAIN_JS} is missing: run \`npm run build\` first`);
  const child = launch === 'node' ? spawn(process.execPath, [MAIN_JS], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] }) : spawnNpmStart(env, cwd);
  const lines: string[] = [];
  const out = { stdout: '', stderr: '' };
  const collect = (stream: 'stdout' | 'stderr') => {
    let partial = '';
    return (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      out[stream] += text;
      const parts = (partial + text).split('\n');
      partial = parts.pop() ?? '';
      lines.push(...parts);
    };
  };
  child.stdout?.on('data', collect('stdout'));
  child.stderr?.on('data', collect('stderr'));
  const exited = new Promise<Exit>((done) => child.once('exit', (code, signal) => done({ code, signal })));
  const port = Number(env['PORT']);
  return {
    child,
    port,
    eventsUrl: `http://127.0.0.1:${port}/slack/events`,
    lines,
    stdout: () => out.stdout,
    stderr: () => out.stderr,
    exited,
    kill() {
      if (launch === 'node' || child.pid === undefined) {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
        return;
      }
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // the group is gone already
      }
    },
    async waitForLine(match, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const line = lines.find(match);
        if (line !== undefined) return line;
        if (Date.now() > deadline) throw new Error(`no matching log line within ${timeoutMs} ms; last lines:\n${lines.slice(-15).join('\n')}`);
        await delay(20);
      }
    },
    async healthz() {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(3_000) });
      await res.arrayBuffer();
      return res.status;
    },
    async health() {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(3_000) });
      return (await res.json()) as Record<string, unknown>;
    },
  };
}

/**
 * `npm start --silent --ignore-scripts`, the command the README gives operators: npm's own start script, run by npm
 * through its shell, without the `prestart` build (which would rewrite dist/ under the other tests running meanwhile).
 * `dist` is linked from the project.
 */
function spawnNpmStart(env: Record<string, string>, cwd: string): ChildProcess {
  if (!existsSync(join(cwd, 'package.json'))) {
    copyFileSync(join(PROJECT_DIR, 'package.json'), join(cwd, 'package.json'));
    symlinkSync(join(PROJECT_DIR, 'dist'), join(cwd, 'dist'));
  }
  return spawn('npm', ['start', '--silent', '--ignore-scripts'], {
    cwd,
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
}

/** Waits until `/healthz` answers 200, or fails with the bot's output when it exits or takes too long. */
export async function waitHealthy(bot: BotProcess, timeoutMs = 15_000): Promise<void> {
  let exit: Exit | undefined;
  void bot.exited.then((e) => (exit = e));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exit !== undefined) throw new Error(`the bot exited (${JSON.stringify(exit)}) before it was healthy:\n${bot.lines.join('\n')}`);
    const status = await bot.healthz().catch(() => 0);
    if (status === 200) return;
    if (Date.now() > deadline) throw new Error(`the bot was not healthy within ${timeoutMs} ms:\n${bot.lines.join('\n')}`);
    await delay(50);
  }
}

export interface World {
  slack: SlackSim;
  cashfree: CashfreeSim;
  dir: string;
  databasePath: string;
  secrets: typeof CHILD_SECRETS;
  /** The environment a bot child gets: both simulators, a 1 s poll schedule, debug logs, CHILD_TIMINGS. */
  env(extra?: Record<string, string>): Promise<Record<string, string>>;
  /** Starts a bot child on the shared database and waits until it is healthy. */
  startBot(extra?: Record<string, string>, launch?: Launch): Promise<BotProcess>;
  close(): Promise<void>;
}

export interface WorldOptions {
  secrets?: typeof CHILD_SECRETS;
  cashfree?: Partial<CashfreeSimOptions>;
}

/** Both simulators in this process and a scratch directory for the bot's database. */
export async function startWorld(options: WorldOptions = {}): Promise<World> {
  const secrets = options.secrets ?? CHILD_SECRETS;
  const cashfree = await startCashfreeSim({ clientId: secrets.clientId, clientSecret: secrets.clientSecret, ...options.cashfree });
  const slack = await startSlackSim({ botToken: secrets.botToken, appToken: secrets.appToken, functions: manifestFunctions(), scopes: manifestBotScopes() });
  const dir = mkdtempSync(join(tmpdir(), 'kyc-child-'));
  const databasePath = join(dir, 'kyc.sqlite');
  const bots: BotProcess[] = [];
  const world: World = {
    slack,
    cashfree,
    dir,
    databasePath,
    secrets,
    async env(extra = {}) {
      return {
        SLACK_BOT_TOKEN: secrets.botToken,
        SLACK_SIGNING_SECRET: secrets.signingSecret,
        PORT: String(await freePort()),
        SLACK_API_URL: slack.apiUrl,
        CASHFREE_CLIENT_ID: secrets.clientId,
        CASHFREE_CLIENT_SECRET: secrets.clientSecret,
        CASHFREE_BASE_URL: cashfree.baseUrl,
        CASHFREE_TIMEOUT_MS: '3000',
        CASHFREE_MAX_RPM: '1000',
        DATABASE_PATH: databasePath,
        POLL_SCHEDULE: '*/1 * * * * *',
        POLL_BACKOFF_SECONDS: '1',
        POLL_MIN_CHANCE: '0',
        LOG_LEVEL: 'debug',
        KYC_TEST_TIMINGS: JSON.stringify(CHILD_TIMINGS),
        ...extra,
      };
    },
    async startBot(extra, launch) {
      const bot = spawnBot(await world.env(extra), dir, launch);
      bots.push(bot);
      await waitHealthy(bot);
      return bot;
    },
    async close() {
      for (const bot of bots) {
        bot.kill();
        await bot.exited;
      }
      await Promise.all([cashfree.close(), slack.close()]);
      rmSync(dir, { recursive: true, force: true });
      slack.assertNoRefusals();
    },
  };
  return world;
}

/** Polls `check` until it returns something, or throws `what` after `timeoutMs`. */
export async function until<T>(what: string, check: () => T | undefined | false, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = check();
    if (result !== undefined && result !== false) return result;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await delay(25);
  }
}

/** Sends a signed `/kyc track <id>` to the bot and returns the parent message once posted. */
export async function trackInChild(world: World, bot: BotProcess, verificationId: string, channelId = 'C0KYC'): Promise<SimMessage> {
  const responseUrl = world.slack.responseUrl();
  const answer = await sendSlashCommand(bot.eventsUrl, world.secrets.signingSecret, { text: `track ${verificationId}`, responseUrl, channelId });
  if (answer.status !== 200) throw new Error(`/kyc track answered HTTP ${answer.status}: ${answer.body}`);
  await until(`the tracking reply for ${verificationId}`, () =>
    world.slack.responses.some((r) => r.url === responseUrl && String(r.body['text'] ?? '').includes('Tracking')),
  );
  return until(`the parent message of ${verificationId}`, () =>
    world.slack.messages(channelId).find((m) => m.thread_ts === undefined && m.text.includes(verificationId)),
  );
}

/** Every reply in a thread as "STATUS/SUB_STATUS", read from the codes in its first line. */
export function threadCodes(slack: SlackSim, channelId: string, parentTs: string): string[] {
  return slack
    .thread(channelId, parentTs)
    .map((m) => /`([^`]+)` \/ `([^`]+)`/.exec(m.text))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => `${match[1]}/${match[2]}`);
}

/** The number of /vkyc requests the Cashfree sim has received (answered or not). */
export function vkycRequests(world: World): number {
  return world.cashfree.requests.filter((r) => r.op === 'vkyc').length;
}

/** The bot's JSON log records (lines that are not JSON, such as a start-up failure, are skipped). */
export function logRecords(bot: BotProcess): Record<string, unknown>[] {
  return logRecordsOf(bot.lines);
}

/**
 * Waits until a thread holds `count` replies and the bot has nothing left to post (`pending` on its
 * /healthz counts every change not yet confirmed by Slack): only a pending change could still be posted
 * again, so a duplicate would show.
 */
export async function settledThread(world: World, bot: BotProcess, channelId: string, parentTs: string, count: number): Promise<string[]> {
  const deadline = Date.now() + 20_000;
  while (world.slack.thread(channelId, parentTs).length < count || (await bot.health()).pending !== 0) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${count} replies in the thread and nothing pending`);
    await delay(25);
  }
  return threadCodes(world.slack, channelId, parentTs);
}
