import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS } from './migrations.js';

export type Db = Database.Database;

/** A database that cannot be opened or migrated; its message is the operator's one line. */
export class StoreError extends Error {
  override name = 'StoreError';
}

/**
 * Opens (creating if needed) the SQLite file, private to this user (0600),
 * in WAL mode with a busy timeout, and applies pending migrations.
 */
/** How long a statement waits for another process's lock once the bot runs. */
export const OPERATING_BUSY_TIMEOUT_MS = 200;

/** A failure of the database itself (busy, full, I/O): local, never Cashfree's or Slack's. */
export function isDatabaseError(error: unknown): error is Error & { code: string } {
  const code = (error as { code?: unknown } | null)?.code;
  return error instanceof Error && typeof code === 'string' && code.startsWith('SQLITE_');
}

export function openDatabase(path: string): Db {
  let db: Db;
  try {
    if (path !== ':memory:') {
      mkdirSync(dirname(path), { recursive: true });
      closeSync(openSync(path, 'a', 0o600));
      chmodSync(path, 0o600);
    }
    db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 5000');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
  } catch (error) {
    throw new StoreError(`cannot open the database at ${path}: ${(error as Error).message}`);
  }
  try {
    migrate(db);
  } catch (error) {
    db.close();
    throw new StoreError(`cannot migrate the database at ${path}: ${(error as Error).message}`);
  }
  // better-sqlite3 is synchronous: while a statement waits for a lock, nothing else in the process runs (not even
  // a slash command's acknowledgement). Start-up may wait; afterwards a write gives up quickly and the caller
  // says so (a tick ends and the next one retries; an agent is told the database is busy).
  db.pragma(`busy_timeout = ${OPERATING_BUSY_TIMEOUT_MS}`);
  for (const suffix of ['-wal', '-shm']) {
    if (path !== ':memory:' && existsSync(path + suffix)) chmodSync(path + suffix, 0o600);
  }
  return db;
}

/** Reads the schema version and migrates in one write transaction, so two processes starting together cannot both migrate. */
function migrate(db: Db): void {
  db.transaction(() => {
    const current = Number(db.pragma('user_version', { simple: true }));
    if (current > MIGRATIONS.length) {
      throw new Error(`it was written by a newer version of the bot (schema ${current}, this build knows ${MIGRATIONS.length})`);
    }
    MIGRATIONS.slice(current).forEach((sql, offset) => {
      db.exec(sql);
      db.pragma(`user_version = ${current + offset + 1}`);
    });
  }).immediate();
}
