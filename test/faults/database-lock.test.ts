import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { STANDARD_JOURNEY } from '../../sim/cashfree.js';
import { openStore } from '../../src/store/store.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { threadCodes, track } from '../helpers/tracking.js';

/**
 * Another process holds a write transaction on DATABASE_PATH (a second replica's migration, a backup taken
 * the wrong way, an admin's sqlite3 session) while the bot runs. The bot runs in-process; the lock is a real
 * second process, because the process boundary is what is tested.
 */
const LOCKER = `
const Database = require('better-sqlite3');
const db = new Database(process.argv[1]);
db.prepare('BEGIN IMMEDIATE').run();
db.prepare("INSERT INTO audit (at, actor, action) VALUES (0, 'locker', 'subscribed')").run();
process.stdout.write('locked\\n');
process.stdin.once('data', () => { db.prepare('COMMIT').run(); db.close(); process.stdout.write('released\\n'); process.exit(0); });
`;

let h: Harness | undefined;
let locker: ChildProcess | undefined;
afterEach(async () => {
  locker?.kill();
  locker = undefined;
  await h?.close();
  h = undefined;
});

async function lockDatabase(path: string): Promise<{ release: () => Promise<void> }> {
  const child = spawn(process.execPath, ['-e', LOCKER, path], { cwd: process.cwd(), stdio: ['pipe', 'pipe', 'inherit'] });
  locker = child;
  const lines: string[] = [];
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => lines.push(...chunk.split('\n')));
  while (!lines.includes('locked')) await once(child.stdout ?? child, 'data');
  return {
    release: async () => {
      child.stdin?.write('go\n');
      await once(child, 'exit');
    },
  };
}

describe('a database another process is writing', () => {
  it('answers commands, strands nothing, duplicates nothing, and resumes polling once released', async () => {
    h = await startHarness();
    const harness = h;
    const id = 'vk_locked_db';
    harness.cashfree.addVerification({ verification_id: id });
    const parent = await track(harness, id);
    const journey = STANDARD_JOURNEY.slice(1, 4).map((s) => `${s.status}/${s.sub_status}`);
    harness.cashfree.advance(id);
    await harness.bot.tick();
    expect(threadCodes(harness, 'C0KYC', parent.ts)).toEqual(journey.slice(0, 1));

    const lock = await lockDatabase(harness.config.databasePath);
    harness.cashfree.advance(id);
    // Ticks during the lock end without polling or posting, and say why once.
    for (let i = 0; i < 3; i += 1) await harness.bot.tick();
    expect(threadCodes(harness, 'C0KYC', parent.ts)).toEqual(journey.slice(0, 1));
    const health = (await (await fetch(`http://127.0.0.1:${harness.bot.port}/healthz`)).json()) as { database?: string };
    expect(health.database).toBe('degraded');
    // A command is acknowledged, and told in plain words that it could not be done.
    const answer = await harness.kyc(`untrack ${id}`);
    expect(answer.status).toBe(200);
    const [reply] = await harness.waitForReply(answer.responseUrl);
    expect(reply).toContain('database is busy');
    const metrics = await (await fetch(`http://127.0.0.1:${harness.bot.port}/metrics`)).text();
    expect(metrics).toMatch(/kyc_database_errors_total\{task="poll",code="SQLITE_BUSY"\} [1-9]/);

    await lock.release();
    // The change that happened during the lock is posted at the next tick; the one after it follows.
    for (let i = 0; i < 5 && threadCodes(harness, 'C0KYC', parent.ts).length < 2; i += 1) await harness.bot.tick();
    expect(threadCodes(harness, 'C0KYC', parent.ts)).toEqual(journey.slice(0, 2));
    harness.cashfree.advance(id);
    for (let i = 0; i < 5 && threadCodes(harness, 'C0KYC', parent.ts).length < journey.length; i += 1) await harness.bot.tick();
    // Every change exactly once, in order.
    expect(threadCodes(harness, 'C0KYC', parent.ts)).toEqual(journey);
    const after = (await (await fetch(`http://127.0.0.1:${harness.bot.port}/healthz`)).json()) as { database?: string };
    expect(after.database).toBe('ok');
    // Nothing left claimed.
    const store = openStore(harness.config.databasePath);
    try {
      expect(store.db.prepare('SELECT count(*) AS n FROM verifications WHERE in_flight = 1').get()).toEqual({ n: 0 });
    } finally {
      store.close();
    }
  }, 30_000);
});
