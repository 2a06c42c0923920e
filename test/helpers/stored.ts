import { openDatabase } from '../../src/store/open.js';

/** Every column of every row of every table in a bot's SQLite database, as one text to search. */
export function storedRows(databasePath: string): string {
  const db = openDatabase(databasePath);
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>;
    return JSON.stringify(tables.map(({ name }) => ({ [name]: db.prepare(`SELECT * FROM "${name}"`).all() })));
  } finally {
    db.close();
  }
}

/** Rows of one query against a bot's database. */
export function query<T>(databasePath: string, sql: string, ...params: unknown[]): T[] {
  const db = openDatabase(databasePath);
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}
