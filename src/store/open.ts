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
